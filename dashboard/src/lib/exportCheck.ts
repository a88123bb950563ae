// Checks an evidence export in the browser, as scripts/verify-export.sh does with openssl: the
// manifest's Ed25519 signature over its bytes up to the last ',"signature":' member (closed with '}'),
// and the file's SHA-256 against the one the signed manifest names.

export interface ExportCheck {
  valid: boolean;
  /** Why not, when not valid. */
  reason?: string;
  /** SHA-256 of the signing key's DER, to compare with the gateway's public key. */
  keyFingerprint?: string;
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

function base64(s: string): Uint8Array<ArrayBuffer> {
  const raw = atob(s);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) {
    out[i] = raw.charCodeAt(i);
  }
  return out;
}

/** Whether {@code manifest} (the text served) is signed and names {@code file}'s digest. */
export async function checkExport(manifest: string, file: ArrayBuffer, subtle: SubtleCrypto = crypto.subtle,
  expectedKey?: string): Promise<ExportCheck> {
  const text = manifest.trim();
  const at = text.lastIndexOf(',"signature":');
  if (at < 0 || !text.endsWith('}')) {
    return { valid: false, reason: 'the manifest is not signed' };
  }
  let signature: { algorithm?: string; publicKey?: string; value?: string };
  let signed: { file?: { sha256?: string } };
  const body = `${text.slice(0, at)}}`;
  try {
    signature = (JSON.parse(text) as { signature: typeof signature }).signature;
    signed = JSON.parse(body) as typeof signed;
  } catch {
    return { valid: false, reason: 'the manifest is not JSON' };
  }
  if (signature?.algorithm !== 'Ed25519' || !signature.publicKey || !signature.value) {
    return { valid: false, reason: 'the signature is not Ed25519' };
  }
  if (expectedKey && expectedKey !== signature.publicKey) {
    return { valid: false, reason: "the manifest was not signed with the gateway's key" };
  }
  const der = base64(signature.publicKey);
  const keyFingerprint = hex(await subtle.digest('SHA-256', der));
  let ok: boolean;
  try {
    const key = await subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
    ok = await subtle.verify({ name: 'Ed25519' }, key, base64(signature.value), new TextEncoder().encode(body));
  } catch (e) {
    return { valid: false, reason: `this browser cannot check Ed25519 (${String(e)}): use scripts/verify-export.sh` };
  }
  if (!ok) {
    return { valid: false, reason: "the manifest's signature does not match its content", keyFingerprint };
  }
  const digest = hex(await subtle.digest('SHA-256', file));
  if (digest !== signed.file?.sha256) {
    return { valid: false, reason: `the file's SHA-256 is ${digest}, the manifest says ${signed.file?.sha256}`, keyFingerprint };
  }
  return { valid: true, keyFingerprint };
}

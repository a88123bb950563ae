import { describe, expect, it } from 'vitest';
import { checkExport } from './exportCheck';

const enc = new TextEncoder();

function b64(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

async function hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A manifest signed as the gateway signs one: compact JSON, then the signature member appended. */
async function signed(file: Uint8Array<ArrayBuffer>, keys: CryptoKeyPair, description = 'case "7"'): Promise<string> {
  const body = JSON.stringify({ exportId: 'exp_1', frameCount: 3, file: { sha256: await hex(file) }, description });
  const sig = await crypto.subtle.sign({ name: 'Ed25519' }, keys.privateKey, enc.encode(body));
  const pub = await crypto.subtle.exportKey('spki', keys.publicKey);
  return `${body.slice(0, -1)},"signature":${JSON.stringify({ algorithm: 'Ed25519', publicKey: b64(pub), value: b64(sig) })}}`;
}

async function keys(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as CryptoKeyPair;
}

describe('checkExport', () => {
  const file = enc.encode('not really an mp4, but bytes all the same');

  it('accepts a manifest signed over its content that names the file', async () => {
    const r = await checkExport(await signed(file, await keys()), file.buffer as ArrayBuffer);
    expect(r.valid).toBe(true);
    expect(r.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a file with one byte flipped', async () => {
    const m = await signed(file, await keys());
    const flipped = file.slice();
    flipped[5] ^= 1;
    const r = await checkExport(m, flipped.buffer as ArrayBuffer);
    expect(r.valid).toBe(false);
    expect(r.reason).toContain('SHA-256');
  });

  it('refuses an edited manifest', async () => {
    const m = (await signed(file, await keys())).replace('"frameCount":3', '"frameCount":4');
    const r = await checkExport(m, file.buffer as ArrayBuffer);
    expect(r).toMatchObject({ valid: false, reason: "the manifest's signature does not match its content" });
  });

  it('refuses a manifest signed with another key than the gateway\'s', async () => {
    const gateway = b64(await crypto.subtle.exportKey('spki', (await keys()).publicKey));
    const r = await checkExport(await signed(file, await keys()), file.buffer as ArrayBuffer, crypto.subtle, gateway);
    expect(r.valid).toBe(false);
  });

  it('refuses text with no signature', async () => {
    expect((await checkExport('{"a":1}', file.buffer as ArrayBuffer)).valid).toBe(false);
  });
});

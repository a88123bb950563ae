#!/usr/bin/env bash
# Checks an evidence export with openssl alone: the manifest's Ed25519 signature, and that the MP4's
# SHA-256 is the one the signed manifest names. Prints VALID and exits 0, or INVALID with the reason
# and exits 1.
#   scripts/verify-export.sh FILE.mp4 MANIFEST.json [GATEWAY_PUBLIC_KEY.pem]
# Without the third argument the signature is checked against the key the manifest carries, and its
# fingerprint is printed: compare it with the gateway's (GET /api/v1/exports/public-key). With it, the
# manifest must also carry that very key.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 FILE.mp4 MANIFEST.json [GATEWAY_PUBLIC_KEY.pem]" >&2
  exit 2
fi
file=$1 manifest=$2 key=${3:-}
command -v openssl >/dev/null || { echo "verify-export: openssl is needed (apt-get install openssl)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
invalid() { echo "INVALID: $*"; exit 1; }

text=$(cat "$manifest")
case "$text" in
  *',"signature":{'*'}}') ;;
  *) invalid "$manifest is not a signed export manifest (no signature member at its end)" ;;
esac
# The signed bytes: the manifest up to its last ',"signature":' member, closed again.
printf '%s}' "${text%,\"signature\":*}" > "$tmp/payload"
signature=${text##*,\"signature\":}
field() { printf '%s' "$signature" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
[ "$(field algorithm)" = "Ed25519" ] || invalid "the signature is not Ed25519"
field value | openssl base64 -d -A > "$tmp/sig" 2>/dev/null || invalid "the signature value is not base64"
field publicKey | openssl base64 -d -A > "$tmp/key.der" 2>/dev/null || invalid "the public key is not base64"
openssl pkey -pubin -inform DER -in "$tmp/key.der" -out "$tmp/key.pem" 2>/dev/null \
  || invalid "the manifest's public key is not a public key"
if [ -n "$key" ]; then
  openssl pkey -pubin -in "$key" -outform DER -out "$tmp/given.der" 2>/dev/null || invalid "$key is not a PEM public key"
  cmp -s "$tmp/given.der" "$tmp/key.der" || invalid "the manifest was not signed with the key in $key"
fi
openssl pkeyutl -verify -pubin -inkey "$tmp/key.pem" -rawin -in "$tmp/payload" -sigfile "$tmp/sig" >/dev/null 2>&1 \
  || invalid "the manifest's signature does not match its content"

expected=$(grep -o '"sha256":"[0-9a-f]\{64\}"' "$tmp/payload" | head -1 | cut -d'"' -f4)
[ -n "$expected" ] || invalid "the manifest names no SHA-256 of the file"
actual=$(openssl dgst -sha256 -r "$file" | cut -d' ' -f1)
[ "$actual" = "$expected" ] || invalid "$file has SHA-256 $actual, the manifest says $expected"

fingerprint=$(openssl dgst -sha256 -r "$tmp/key.der" | cut -d' ' -f1)
echo "VALID: $file is the export the manifest describes, signed by Ed25519 key sha256:$fingerprint"

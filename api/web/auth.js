// Signed requests from the browser (docs/api.md §Signed requests, api/request_auth.h): the
// auditor loads the key file `carbonledger keygen` wrote; the page imports it into WebCrypto
// and signs each private GET with Ed25519 over the RFC 9421 signature base the server
// rebuilds. The key is never sent anywhere: it lives in this page's memory, and in this tab's
// sessionStorage only if the auditor asks for that.
import { NoteKeyId, VerifyError, base64Decode, base64Encode, hex, sha256 } from './verify.js';

const kComponents = '("@method" "@path" "@query" "content-digest")';
const kStorage = 'carbonledger.key';
// PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410): WebCrypto imports private keys so.
const kPkcs8Prefix = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);

function base64UrlDecode(s) {
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  return base64Decode(std + '='.repeat((4 - (std.length % 4)) % 4));
}

// "PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>" (crypto/ed25519.h) → a signer:
// {account, keyId, publicKey, privateKey (a non-extractable CryptoKey), text}. The key id is
// recomputed from the derived public key and must match, as ParsePrivateKey requires.
export async function LoadSigningKey(text) {
  const m = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
  const raw = m && base64Decode(m[3]);
  if (!m || !raw || raw.length !== 33 || raw[0] !== 0x01) {
    throw new VerifyError(
      'key.format',
      'not a carbonledger private key file (PRIVATE+KEY+<account>+<id>+<key>)',
    );
  }
  const seed = raw.slice(1);
  const pkcs8 = new Uint8Array([...kPkcs8Prefix, ...seed]);
  const extractable = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, [
    'sign',
  ]);
  const jwk = await crypto.subtle.exportKey('jwk', extractable);
  const publicKey = base64UrlDecode(jwk.x);
  const keyId = await NoteKeyId(m[1], publicKey);
  if (hex(keyId) !== m[2]) {
    throw new VerifyError('key.format', `key id ${m[2]} does not match the key (${hex(keyId)})`);
  }
  const privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, [
    'sign',
  ]);
  seed.fill(0);
  pkcs8.fill(0);
  return { account: m[1], keyId: hex(keyId), publicKey, privateKey, text: text.trim() };
}

export async function ContentDigest(body) {
  return `sha-256=:${base64Encode(await sha256(new TextEncoder().encode(body)))}:`;
}

// RFC 9421 §2.5, exactly as SignatureBase in api/request_auth.cc.
export function SignatureBase(method, path, query, contentDigest, params) {
  return (
    `"@method": ${method}\n` +
    `"@path": ${path}\n` +
    `"@query": ${query === '' ? '?' : query}\n` +
    `"content-digest": ${contentDigest}\n` +
    `"@signature-params": ${params}`
  );
}

// 24 characters of [A-Za-z0-9_-] from the CSPRNG (the server accepts 16..64).
export function NewNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return base64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_');
}

// The three headers of a signed request; `query` is '' or '?a=1&b=2' exactly as sent.
export async function SignRequest(method, path, query, body, signer, created = null, nonce = null) {
  created ??= Math.floor(Date.now() / 1000);
  nonce ??= NewNonce();
  const digest = await ContentDigest(body);
  const params = `${kComponents};created=${created};nonce="${nonce}";keyid="${signer.account}";alg="ed25519"`;
  const base = new TextEncoder().encode(SignatureBase(method, path, query, digest, params));
  const sig = new Uint8Array(
    await crypto.subtle.sign({ name: 'Ed25519' }, signer.privateKey, base),
  );
  return {
    'Content-Digest': digest,
    'Signature-Input': `sig1=${params}`,
    Signature: `sig1=:${base64Encode(sig)}:`,
  };
}

// This tab's copy, kept only when the auditor ticked "keep for this tab".
export function StoredKeyText() {
  try {
    return sessionStorage.getItem(kStorage);
  } catch {
    return null;
  }
}

export function StoreKeyText(text) {
  try {
    if (text) sessionStorage.setItem(kStorage, text);
    else sessionStorage.removeItem(kStorage);
  } catch {
    // Storage disabled: the key stays in memory only.
  }
}

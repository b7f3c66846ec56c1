// Verification of the log's answers in the browser: RFC 9162 inclusion proofs, C2SP signed-note
// checkpoints with Ed25519, and the entry bytes of docs/ledger-format.md. Only WebCrypto is
// used (SHA-256 and Ed25519), so a page can check what the server says without trusting it:
// the verifier key comes from the auditor, never from the answer being checked.
//
// The functions mirror ledger/merkle.h, ledger/checkpoint.h and crypto/ed25519.h; their failures
// carry the same reasons (proof.index, proof.size, proof.range, proof.mismatch, checkpoint.format,
// checkpoint.signature, checkpoint.origin, key.format, entry.format). Indexes and sizes are
// BigInt, as the C++ uses uint64_t. The module runs unchanged in Node >= 20 (for its tests).

export class VerifyError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'VerifyError';
    this.reason = reason;
  }
}

// ---- Bytes.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Encode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

// Strict RFC 4648 §4 decoding, as crypto/encoding.cc: length a multiple of 4, only the
// alphabet, '=' only as final padding, unused bits zero. Returns null when not canonical.
export function base64Decode(text) {
  if (typeof text !== 'string' || text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text[i + j];
      const last = i + 4 === text.length;
      let v;
      if (c === '=' && last && j >= 4 - pad) v = 0;
      else if ((v = B64.indexOf(c)) < 0) return null;
      n = (n << 6) | v;
    }
    const bytes = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    const keep = i + 4 === text.length ? 3 - pad : 3;
    if (keep < 3 && bytes.slice(keep).some((b) => b !== 0)) return null;
    for (let k = 0; k < keep; k++) out[o++] = bytes[k];
  }
  return out;
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const utf8 = new TextEncoder();

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// ---- RFC 9162 §2.1.1 hashing.

// Leaf hash = SHA-256(0x00 || entry bytes).
export async function LeafHash(entryBytes) {
  return sha256(concat(Uint8Array.of(0), entryBytes));
}

// Node hash = SHA-256(0x01 || left || right).
export async function HashChildren(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

function bitLength(v) {
  return v === 0n ? 0 : v.toString(2).length;
}

function popCount(v) {
  let n = 0;
  for (const c of v.toString(2)) n += c === '1' ? 1 : 0;
  return n;
}

// The number of hashes in an inclusion proof of leaf `index` in a tree of `size` leaves:
// siblings below the fork with the last leaf's path, plus the border above it.
export function InclusionProofSize(index, size) {
  const inner = bitLength(index ^ (size - 1n));
  return inner + popCount(index >> BigInt(inner));
}

// RFC 9162 §2.1.3.2: the root that `proof` implies for leaf `index` in a tree of `size`
// leaves. Throws proof.index unless index < size, proof.size when the proof does not have the
// length such a tree needs.
export async function RootFromInclusionProof(index, size, leafHash, proof) {
  index = BigInt(index);
  size = BigInt(size);
  if (index < 0n || index >= size) {
    throw new VerifyError('proof.index', `leaf index ${index} is not below tree size ${size}`);
  }
  const want = InclusionProofSize(index, size);
  if (proof.length !== want) {
    throw new VerifyError(
      'proof.size',
      `inclusion proof for leaf ${index} in tree size ${size} has ${proof.length} hashes, want ${want}`,
    );
  }
  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (p.length !== 32) throw new VerifyError('proof.size', 'a proof hash is not 32 bytes');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await HashChildren(p, r);
      while (fn !== 0n && (fn & 1n) === 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await HashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n)
    throw new VerifyError('proof.mismatch', 'inclusion proof is shorter than the path');
  return r;
}

// RFC 9162 §2.1.3.2: resolves iff `proof` proves `leafHash` at `index` in the tree of `size`
// leaves whose root is `root`; throws the reasons above, or proof.mismatch.
export async function VerifyInclusion(index, size, leafHash, proof, root) {
  const computed = await RootFromInclusionProof(index, size, leafHash, proof);
  if (!equalBytes(computed, root)) {
    throw new VerifyError(
      'proof.mismatch',
      `inclusion proof for leaf ${index} does not lead to the root of tree size ${size}`,
    );
  }
  return computed;
}

function countTrailingZeros(v) {
  let n = 0;
  while (v !== 0n && (v & 1n) === 0n) {
    v >>= 1n;
    n++;
  }
  return n;
}

// The number of hashes in a consistency proof from size1 to size2 (0 < size1 < size2): the seed
// (the largest complete subtree ending at leaf size1 - 1) unless it is the whole size1 tree,
// then the seed's path in the size2 tree.
export function ConsistencyProofSize(size1, size2) {
  const level = countTrailingZeros(size1);
  const index = (size1 - 1n) >> BigInt(level);
  const last = (size2 - 1n) >> BigInt(level);
  const inner = bitLength(index ^ last);
  return (index !== 0n ? 1 : 0) + inner + popCount(index >> BigInt(inner));
}

// RFC 9162 §2.1.4.2: resolves iff `proof` proves that the tree (size1, root1) is a prefix of the
// tree (size2, root2). Throws proof.range, proof.size or proof.mismatch, as VerifyConsistency
// in ledger/merkle.cc, of which this is a port.
export async function VerifyConsistency(size1, size2, proof, root1, root2) {
  size1 = BigInt(size1);
  size2 = BigInt(size2);
  if (size1 > size2)
    throw new VerifyError('proof.range', `tree size ${size1} is larger than tree size ${size2}`);
  if (size1 === 0n || size1 === size2) {
    if (proof.length !== 0) {
      throw new VerifyError(
        'proof.size',
        `consistency proof from tree size ${size1} to ${size2} must be empty`,
      );
    }
    if (size1 === size2 && !equalBytes(root1, root2)) {
      throw new VerifyError('proof.mismatch', `roots of the same tree size ${size1} differ`);
    }
    if (size1 === 0n && !equalBytes(root1, await sha256(new Uint8Array()))) {
      throw new VerifyError('proof.mismatch', 'root of tree size 0 is not the empty root');
    }
    return;
  }
  const want = ConsistencyProofSize(size1, size2);
  if (proof.length !== want) {
    throw new VerifyError(
      'proof.size',
      `consistency proof from tree size ${size1} to ${size2} has ${proof.length} hashes, want ${want}`,
    );
  }
  // When size1 is a power of two the seed is root1 itself, not sent in the proof.
  const seedInProof = (size1 & (size1 - 1n)) !== 0n;
  let next = seedInProof ? 1 : 0;
  let fr = seedInProof ? proof[0] : root1;
  let sr = fr;
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  for (; next < proof.length; next++) {
    const c = proof[next];
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await HashChildren(c, fr);
      sr = await HashChildren(c, sr);
      while (fn !== 0n && (fn & 1n) === 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await HashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n)
    throw new VerifyError('proof.mismatch', 'consistency proof is shorter than the path');
  if (!equalBytes(fr, root1)) {
    throw new VerifyError(
      'proof.mismatch',
      `consistency proof does not lead to the root of tree size ${size1}`,
    );
  }
  if (!equalBytes(sr, root2)) {
    throw new VerifyError(
      'proof.mismatch',
      `consistency proof does not lead to the root of tree size ${size2}`,
    );
  }
}

// ---- Keys (C2SP signed-note key encoding, docs/ledger-format.md §Keys).

// Key id = SHA-256(name || 0x0A || type || public key)[:4]: type 0x01 for a log's Ed25519
// signed-note key, 0x04 for a witness's cosignature/v1 key (c2sp.org/tlog-cosignature §Format).
export const kEd25519Type = 0x01;
export const kCosignatureV1Type = 0x04;
export async function NoteKeyId(name, publicKey, type = kEd25519Type) {
  const digest = await sha256(concat(utf8.encode(name), Uint8Array.of(0x0a, type), publicKey));
  return digest.slice(0, 4);
}

export function IsValidKeyName(name) {
  return name.length > 0 && /^[\x21-\x7e]+$/.test(name) && !name.includes('+');
}

// "<name>+<key id hex>+<base64(type || public key)>" → {name, keyId, publicKey}; the key id
// must match the key. The log's key has type 0x01; ParseCosignerKey reads a witness's (0x04).
export async function ParseVerifierKey(text, type = kEd25519Type) {
  // The name has no '+'; the base64 key may.
  const m = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(text.trim());
  const parts = m ? m.slice(1) : [];
  if (!m || !IsValidKeyName(parts[0])) {
    throw new VerifyError('key.format', 'a verifier key is <name>+<8 hex digits>+<base64 key>');
  }
  const raw = base64Decode(parts[2]);
  if (!raw || raw.length !== 33 || raw[0] !== type) {
    throw new VerifyError(
      'key.format',
      `the key is not base64 of 0x0${type} and 32 Ed25519 key bytes`,
    );
  }
  const publicKey = raw.slice(1);
  const keyId = await NoteKeyId(parts[0], publicKey, type);
  if (hex(keyId) !== parts[1]) {
    throw new VerifyError(
      'key.format',
      `key id ${parts[1]} does not match the key (${hex(keyId)})`,
    );
  }
  return { name: parts[0], keyId, publicKey };
}

export async function VerifyEd25519(publicKey, message, signature) {
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

// ---- Checkpoints (docs/checkpoints.md).

const kMaxSize = 18446744073709551615n;
const kWhiteSpace = /[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function formatError(what) {
  return new VerifyError('checkpoint.format', `checkpoint: ${what}`);
}

// The note body: origin, size, root, extension lines. Returns {origin, size, root, extensions}.
export function ParseCheckpointBody(body) {
  if (!body.endsWith('\n')) throw formatError('the body must end in a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw formatError('the body needs origin, size and root');
  if (lines.some((l) => l === '')) throw formatError('empty line in the body');
  const [origin, size, root, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]{0,19})$/.test(size) || BigInt(size) > kMaxSize) {
    throw formatError(`size "${size}" is not a decimal tree size`);
  }
  const rootBytes = base64Decode(root);
  if (!rootBytes || rootBytes.length !== 32) throw formatError('root is not base64 of 32 bytes');
  return { origin, size: BigInt(size), root: rootBytes, extensions };
}

// A note split at its last blank line into the signed body and its signature lines
// ({name, keyId, signature}), as ParseCheckpointNote in ledger/checkpoint.h; nothing verified.
export function ParseNoteSignatures(note) {
  if (/[\x00-\x09\x0b-\x1f]/.test(note)) throw formatError('control character in the note');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw formatError('no blank line before the signatures');
  const body = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n'))
    throw formatError('signature block must end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > 100) throw formatError('more than 100 signature lines');
  const signatures = lines.map((line) => {
    if (!line.startsWith('\u2014 ')) throw formatError('signature line must start with an em dash');
    const rest = line.slice(2);
    const space = rest.indexOf(' ');
    const name = space < 0 ? '' : rest.slice(0, space);
    if (name === '' || name.includes('+') || kWhiteSpace.test(name)) {
      throw formatError('bad key name in a signature line');
    }
    const bytes = base64Decode(rest.slice(space + 1));
    if (!bytes || bytes.length < 5) throw formatError('signature is not base64 of 5 or more bytes');
    return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
  });
  return { body, signatures };
}

// OpenCheckpoint(note, keyName, publicKey, expectedOrigin), as ledger/checkpoint.cc: the
// first signature line by (keyName, key id) must verify over the body; other lines do not
// matter. Returns {origin, size, root, body, keyId, signature}.
export async function OpenCheckpoint(note, keyName, publicKey, expectedOrigin = '') {
  const { body, signatures } = ParseNoteSignatures(note);
  const parsed = ParseCheckpointBody(body);
  const keyId = await NoteKeyId(keyName, publicKey);
  const mine = signatures.find((s) => s.name === keyName && equalBytes(s.keyId, keyId));
  if (!mine) {
    throw new VerifyError('checkpoint.signature', `no signature by ${keyName}+${hex(keyId)}`);
  }
  const bodyBytes = utf8.encode(body);
  if (
    mine.signature.length !== 64 ||
    !(await VerifyEd25519(publicKey, bodyBytes, mine.signature))
  ) {
    throw new VerifyError(
      'checkpoint.signature',
      `the signature by ${keyName}+${hex(keyId)} does not verify over the checkpoint`,
    );
  }
  if (expectedOrigin && parsed.origin !== expectedOrigin) {
    throw new VerifyError(
      'checkpoint.origin',
      `origin "${parsed.origin}" is not "${expectedOrigin}"`,
    );
  }
  return { ...parsed, body, keyId, signature: mine.signature };
}

// ---- Witness cosignatures (c2sp.org/tlog-cosignature, docs/witness.md §Verifying cosignatures).

// A witness's cosignature/v1 verifier key, "<name>+<key id>+<base64(0x04 || key)>".
export function ParseCosignerKey(text) {
  return ParseVerifierKey(text, kCosignatureV1Type);
}

// §Ed25519 signed message: "cosignature/v1\n" "time <timestamp>\n" then the note body.
export function CosignatureMessage(body, timestamp) {
  return utf8.encode(`cosignature/v1\ntime ${timestamp}\n${body}`);
}

// VerifyCosignature(note, witness), as ledger/log/cosignature.h: the first line with the
// witness's name and key id decides; its signature is a big-endian u64 timestamp (0 < t < 2^63)
// and 64 signature bytes. Returns the timestamp (BigInt). Refusals: "cosignature.missing",
// "cosignature.invalid".
export async function VerifyCosignature(note, witness) {
  const { body, signatures } = ParseNoteSignatures(note);
  const line = signatures.find(
    (s) => s.name === witness.name && equalBytes(s.keyId, witness.keyId),
  );
  const id = `${witness.name}+${hex(witness.keyId)}`;
  if (!line) throw new VerifyError('cosignature.missing', `no cosignature by ${id}`);
  if (line.signature.length !== 8 + 64) {
    throw new VerifyError('cosignature.invalid', `the cosignature by ${id} is not 72 bytes`);
  }
  const timestamp = readU64(line.signature, 0);
  if (timestamp === 0n || timestamp >= 1n << 63n) {
    throw new VerifyError('cosignature.invalid', `the cosignature by ${id} has timestamp ${timestamp}`);
  }
  if (
    !(await VerifyEd25519(
      witness.publicKey,
      CosignatureMessage(body, timestamp),
      line.signature.slice(8),
    ))
  ) {
    throw new VerifyError('cosignature.invalid', `the cosignature by ${id} does not verify`);
  }
  return timestamp;
}

// A verifier's witness policy: the witness keys, one per line (blank lines and '#' lines
// skipped), and how many must have cosigned (0: all). As ParseWitnessPolicy in
// ledger/log/cosignature.h: "cosignature.key" names a bad line, "cosignature.policy" an empty
// list, a key listed twice or more required than listed.
export async function ParseWitnessPolicy(text, required = 0) {
  const witnesses = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    let key;
    try {
      key = await ParseCosignerKey(line);
    } catch (err) {
      throw new VerifyError('cosignature.key', `witness line ${i + 1}: ${err.message}`);
    }
    if (witnesses.some((w) => w.name === key.name && equalBytes(w.keyId, key.keyId))) {
      throw new VerifyError('cosignature.policy', `witness line ${i + 1}: ${key.name} is listed twice`);
    }
    witnesses.push(key);
  }
  if (witnesses.length === 0) throw new VerifyError('cosignature.policy', 'no witness key is listed');
  if (required > witnesses.length) {
    throw new VerifyError(
      'cosignature.policy',
      `${required} witnesses required, ${witnesses.length} listed`,
    );
  }
  return { witnesses, required: required === 0 ? witnesses.length : required };
}

// The policy's witnesses whose cosignature on `note` verifies ({name, timestamp}); throws
// "cosignature.quorum" when fewer than policy.required do, naming each one that failed and why.
export async function RequireCosignatures(note, policy) {
  const good = [];
  const failed = [];
  for (const w of policy.witnesses) {
    try {
      good.push({ name: w.name, timestamp: await VerifyCosignature(note, w) });
    } catch (err) {
      if (err.reason === 'checkpoint.format') throw err;
      failed.push(`${w.name}: ${err.message}`);
    }
  }
  if (good.length < policy.required) {
    throw new VerifyError(
      'cosignature.quorum',
      `${good.length} of the ${policy.required} required witness cosignatures verify (${failed.join('; ')})`,
    );
  }
  return good;
}

// ---- Entries (docs/ledger-format.md §Entries).

function readU64(bytes, at) {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[at + i]);
  return v;
}

// Entry bytes → {seq, acceptedMs, signerKey, signature, txBytes}; refuses another version, a
// length that disagrees with the buffer and trailing bytes.
export function DecodeEntry(bytes) {
  if (bytes.length < 117 || bytes[0] !== 0x01) {
    throw new VerifyError('entry.format', 'entry bytes are not version 1');
  }
  const txLen = ((bytes[113] << 24) >>> 0) + (bytes[114] << 16) + (bytes[115] << 8) + bytes[116];
  if (117 + txLen !== bytes.length) {
    throw new VerifyError('entry.format', 'entry length disagrees with its transaction length');
  }
  return {
    seq: readU64(bytes, 1),
    acceptedMs: readU64(bytes, 9),
    signerKey: bytes.slice(17, 49),
    signature: bytes.slice(49, 113),
    txBytes: bytes.slice(117),
  };
}

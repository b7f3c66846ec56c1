// Unit tests of the explorer's verifier module (api/web/verify.js) in Node's WebCrypto: the
// RFC 6962 reference tree's published roots, every inclusion proof of small trees against a
// recursive reference, tampered proofs refused, and the checkpoint of docs/checkpoints.md.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  DecodeEntry,
  HashChildren,
  InclusionProofSize,
  LeafHash,
  NoteKeyId,
  OpenCheckpoint,
  ParseCosignerKey,
  ParseVerifierKey,
  ParseWitnessPolicy,
  RequireCosignatures,
  RootFromInclusionProof,
  VerifyConsistency,
  VerifyCosignature,
  VerifyInclusion,
  base64Decode,
  base64Encode,
  hex,
} from '../../api/web/verify.js';

const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

// The certificate-transparency test leaves (transparency-dev/merkle testonly), as in
// tests/ledger/merkle_test.cc, then generated ones.
const ctLeaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex);
const leaves = [...ctLeaves];
for (let i = leaves.length; i < 40; i++) leaves.push(new TextEncoder().encode(`entry-${i}`));

// RFC 6962 §2.1 MTH and §2.1.1 PATH, recursively, as the definition reads.
async function mth(hashes) {
  if (hashes.length === 0)
    return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array()));
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return HashChildren(await mth(hashes.slice(0, k)), await mth(hashes.slice(k)));
}
async function path(m, hashes) {
  if (hashes.length <= 1) return [];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  if (m < k) return [...(await path(m, hashes.slice(0, k))), await mth(hashes.slice(k))];
  return [...(await path(m - k, hashes.slice(k))), await mth(hashes.slice(0, k))];
}

// RFC 6962 §2.1.2 SUBPROOF(m, D[n], b).
async function subproof(m, hashes, b) {
  const n = hashes.length;
  if (m === n) return b ? [] : [await mth(hashes)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  if (m <= k) return [...(await subproof(m, hashes.slice(0, k), b)), await mth(hashes.slice(k))];
  return [...(await subproof(m - k, hashes.slice(k), false)), await mth(hashes.slice(0, k))];
}

const leafHashes = await Promise.all(leaves.map(LeafHash));

test('roots of the certificate-transparency reference tree are the published ones', async () => {
  const published = [
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  for (let size = 0; size <= 8; size++) {
    assert.equal(hex(await mth(leafHashes.slice(0, size))), published[size], `size ${size}`);
  }
});

test('every inclusion proof of trees up to 40 leaves verifies and leads to the root', async () => {
  for (let size = 1; size <= 40; size++) {
    const hashes = leafHashes.slice(0, size);
    const root = await mth(hashes);
    for (let index = 0; index < size; index++) {
      const proof = await path(index, hashes);
      assert.equal(InclusionProofSize(BigInt(index), BigInt(size)), proof.length);
      const got = await RootFromInclusionProof(BigInt(index), BigInt(size), hashes[index], proof);
      assert.equal(hex(got), hex(root), `leaf ${index} of ${size}`);
      await VerifyInclusion(BigInt(index), BigInt(size), hashes[index], proof, root);
    }
  }
});

test('a changed proof, leaf, index, size or root is refused with its reason', async () => {
  const size = 13n;
  const hashes = leafHashes.slice(0, 13);
  const root = await mth(hashes);
  const proof = await path(5, hashes);
  const reason = async (p) => {
    try {
      await p;
    } catch (e) {
      return e.reason;
    }
    return 'verified';
  };
  for (let i = 0; i < proof.length; i++) {
    const bad = proof.map((h) => h.slice());
    bad[i][7] ^= 1;
    assert.equal(await reason(VerifyInclusion(5n, size, hashes[5], bad, root)), 'proof.mismatch');
  }
  assert.equal(await reason(VerifyInclusion(5n, size, hashes[6], proof, root)), 'proof.mismatch');
  assert.equal(await reason(VerifyInclusion(4n, size, hashes[5], proof, root)), 'proof.mismatch');
  assert.equal(
    await reason(VerifyInclusion(5n, size, hashes[5], proof.slice(1), root)),
    'proof.size',
  );
  assert.equal(
    await reason(VerifyInclusion(5n, size, hashes[5], [...proof, root], root)),
    'proof.size',
  );
  assert.equal(await reason(VerifyInclusion(13n, size, hashes[5], proof, root)), 'proof.index');
  assert.equal(
    await reason(VerifyInclusion(5n, size, hashes[5], proof, hashes[0])),
    'proof.mismatch',
  );
});

test('every consistency proof between trees up to 40 leaves verifies; changed ones do not', async () => {
  const roots = [];
  for (let size = 0; size <= 40; size++) roots.push(await mth(leafHashes.slice(0, size)));
  for (let size2 = 1; size2 <= 40; size2++) {
    for (let size1 = 0; size1 <= size2; size1++) {
      const proof = size1 === 0 ? [] : await subproof(size1, leafHashes.slice(0, size2), true);
      await VerifyConsistency(BigInt(size1), BigInt(size2), proof, roots[size1], roots[size2]);
      if (size1 === 0 || size1 === size2) continue;
      await assert.rejects(
        VerifyConsistency(BigInt(size1), BigInt(size2), proof, roots[size1], roots[size2 - 1]),
        { reason: 'proof.mismatch' },
        `${size1} → ${size2}, other root2`,
      );
      await assert.rejects(
        VerifyConsistency(BigInt(size1), BigInt(size2), proof, roots[size2], roots[size2]),
        { reason: 'proof.mismatch' },
        `${size1} → ${size2}, other root1`,
      );
      for (let i = 0; i < proof.length; i++) {
        const bad = proof.map((h) => h.slice());
        bad[i][0] ^= 0x80;
        await assert.rejects(
          VerifyConsistency(BigInt(size1), BigInt(size2), bad, roots[size1], roots[size2]),
          { reason: 'proof.mismatch' },
          `${size1} → ${size2}, hash ${i} changed`,
        );
      }
      await assert.rejects(
        VerifyConsistency(BigInt(size1), BigInt(size2), proof.slice(1), roots[size1], roots[size2]),
        { reason: 'proof.size' },
      );
    }
  }
  await assert.rejects(VerifyConsistency(5n, 4n, [], roots[5], roots[4]), {
    reason: 'proof.range',
  });
  await assert.rejects(VerifyConsistency(4n, 4n, [], roots[4], roots[5]), {
    reason: 'proof.mismatch',
  });
});

test('base64 is strict RFC 4648 and round-trips', () => {
  for (const n of [0, 1, 2, 3, 4, 31, 32, 33]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    assert.deepEqual(base64Decode(base64Encode(bytes)), bytes);
  }
  for (const bad of ['A', 'AB=', 'AB==A===', 'AB=C', 'A-B_', 'AB\n=', 'AR==']) {
    assert.equal(base64Decode(bad), null, bad);
  }
});

// docs/checkpoints.md §Worked example: the RFC 8032 TEST 1 key named
// carbonledger.example/park-hefei, size 17.
const vkey =
  'carbonledger.example/park-hefei+15718d6b+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea';
const note =
  'carbonledger.example/park-hefei\n17\ntWfAy7LoXCleat6TDluzSaS5vulInKp9a2ed1G6CpxE=\n\n' +
  '\u2014 carbonledger.example/park-hefei FXGNazawzI8SFcrxc/adIKO/oLrBgyxauRUmW2Cy4xY8rmL8s5Pxn0byEVHsOpHWLa6oejL/x3FAZlHeuWX+nD6D6wM=\n';

test('the worked checkpoint of docs/checkpoints.md opens under its key', async () => {
  const key = await ParseVerifierKey(vkey);
  assert.equal(key.name, 'carbonledger.example/park-hefei');
  assert.equal(
    hex(key.publicKey),
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  );
  assert.equal(hex(await NoteKeyId(key.name, key.publicKey)), '15718d6b');
  const cp = await OpenCheckpoint(note, key.name, key.publicKey, 'carbonledger.example/park-hefei');
  assert.equal(cp.size, 17n);
  assert.equal(hex(cp.root), 'b567c0cbb2e85c295e6ade930e5bb349a4b9bee9489caa7d6b679dd46e82a711');
  // A witness cosignature after ours does not matter.
  await OpenCheckpoint(
    `${note}\u2014 witness.example/w1 AAAAAAAAAAAAAAAAAAAAAAAA\n`,
    key.name,
    key.publicKey,
  );
});

test('an edited checkpoint, a wrong key or origin is refused', async () => {
  const key = await ParseVerifierKey(vkey);
  const reason = async (n, k = key, origin = '') => {
    try {
      await OpenCheckpoint(n, k.name, k.publicKey, origin);
    } catch (e) {
      return e.reason;
    }
    return 'opened';
  };
  assert.equal(await reason(note.replace('\n17\n', '\n18\n')), 'checkpoint.signature');
  assert.equal(await reason(note.replace('tWfA', 'tWfB')), 'checkpoint.signature');
  assert.equal(await reason(note.replace('FXGN', 'FXGM')), 'checkpoint.signature');
  assert.equal(await reason(note.replace('\n\n', '\n')), 'checkpoint.format');
  assert.equal(await reason(note.replace('\u2014', '-')), 'checkpoint.format');
  assert.equal(await reason(note.replace('\n17\n', '\n017\n')), 'checkpoint.format');
  assert.equal(await reason(note, key, 'other.example/log'), 'checkpoint.origin');
  const other = { ...key, publicKey: key.publicKey.map((b, i) => (i === 0 ? b ^ 1 : b)) };
  assert.equal(await reason(note, other), 'checkpoint.signature');
  await assert.rejects(ParseVerifierKey(vkey.replace('+15718d6b+', '+15718d6c+')), {
    reason: 'key.format',
  });
});

test('entry bytes decode by docs/ledger-format.md and refuse trailing bytes', () => {
  const tx = new TextEncoder().encode('{"a":1}');
  const bytes = new Uint8Array(117 + tx.length);
  bytes[0] = 1;
  bytes[8] = 7; // seq 7
  bytes[16] = 9; // accepted_ms 9
  bytes.fill(0xaa, 17, 49);
  bytes.fill(0xbb, 49, 113);
  bytes[116] = tx.length;
  bytes.set(tx, 117);
  const e = DecodeEntry(bytes);
  assert.equal(e.seq, 7n);
  assert.equal(e.acceptedMs, 9n);
  assert.equal(new TextDecoder().decode(e.txBytes), '{"a":1}');
  assert.throws(() => DecodeEntry(new Uint8Array([...bytes, 0])), { reason: 'entry.format' });
  assert.throws(() => DecodeEntry(Uint8Array.of(2, ...bytes.slice(1))), { reason: 'entry.format' });
});

// A cosignature/v1 line on the worked checkpoint's body, made by another implementation (Python's
// cryptography package) with the RFC 8032 TEST 1 key as witness.example/w1 at time 1700000000;
// tests/ledger/cosignature_test.cc checks the C++ verifier against the same line.
const witnessKey = 'witness.example/w1+eb762cc2+BNdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea';
const cosignature =
  '\u2014 witness.example/w1 63YswgAAAABlU/EAHnva2Q3H4uRea7iXsBz5nCc8tZrWw8w2ac+4aJOMGl9jWGP1xlWj5xOVM6ADRZmu0outny22TlaEmu15TFsQDQ==\n';

test('a witness cosignature/v1 verifies under its 0x04 key; k of n is counted', async () => {
  const w = await ParseCosignerKey(witnessKey);
  assert.equal(w.name, 'witness.example/w1');
  assert.equal(hex(w.keyId), 'eb762cc2');
  assert.equal(hex(await NoteKeyId(w.name, w.publicKey, 0x04)), 'eb762cc2');
  // The same key bytes as a log key (type 0x01) are another key.
  await assert.rejects(ParseVerifierKey(witnessKey), { reason: 'key.format' });
  await assert.rejects(ParseCosignerKey(vkey), { reason: 'key.format' });
  const cosigned = note + cosignature;
  assert.equal(await VerifyCosignature(cosigned, w), 1700000000n);
  // The log's signature still opens the note; the cosignature is one more line.
  await OpenCheckpoint(cosigned, 'carbonledger.example/park-hefei', (await ParseVerifierKey(vkey)).publicKey);
  await assert.rejects(VerifyCosignature(note, w), { reason: 'cosignature.missing' });
  await assert.rejects(VerifyCosignature(cosigned.replace('\n17\n', '\n18\n'), w), {
    reason: 'cosignature.invalid',
  });
  await assert.rejects(VerifyCosignature(cosigned.replace('63Ysw', '63Ysx'), w), {
    reason: 'cosignature.missing', // the key id changed
  });
  await assert.rejects(VerifyCosignature(cosigned.replace('AAAABlU', 'AAAABlV'), w), {
    reason: 'cosignature.invalid', // the timestamp changed
  });

  const other = 'witness.example/w2+' +
    hex(await NoteKeyId('witness.example/w2', leafHashes[1], 0x04)) + '+' +
    base64Encode(Uint8Array.of(0x04, ...leafHashes[1]));
  const one = await ParseWitnessPolicy(`# witnesses\n${witnessKey}\n\n${other}\n`, 1);
  assert.equal(one.witnesses.length, 2);
  assert.deepEqual((await RequireCosignatures(cosigned, one)).map((g) => g.name), [
    'witness.example/w1',
  ]);
  const both = await ParseWitnessPolicy(`${witnessKey}\n${other}`);
  assert.equal(both.required, 2);
  await assert.rejects(RequireCosignatures(cosigned, both), { reason: 'cosignature.quorum' });
  await assert.rejects(ParseWitnessPolicy(`${witnessKey}\n${witnessKey}`), {
    reason: 'cosignature.policy',
  });
  await assert.rejects(ParseWitnessPolicy(`${witnessKey}`, 2), { reason: 'cosignature.policy' });
  await assert.rejects(ParseWitnessPolicy('\n# none\n'), { reason: 'cosignature.policy' });
  await assert.rejects(ParseWitnessPolicy(`${witnessKey}\nnot a key`), {
    reason: 'cosignature.key',
  });
});

// Entry page: one entry decoded from its exact bytes, and "Verify in browser", which checks in
// this page — with WebCrypto, not by asking the server — that those bytes are leaf `seq` of the
// tree whose checkpoint is signed by the log key the auditor trusts (docs/explorer.md §Verify in browser).
import { get } from './api.js';
import {
  DecodeEntry,
  LeafHash,
  OpenCheckpoint,
  ParseVerifierKey,
  ParseWitnessPolicy,
  RequireCosignatures,
  RootFromInclusionProof,
  VerifyConsistency,
  VerifyEd25519,
  VerifyError,
  base64Decode,
  base64Encode,
  equalBytes,
  hex,
} from './verify.js';
import { badge, facts, h, link, mono, num, section, time } from './ui.js';

const kPinned = 'carbonledger.log_key';
const kPinnedWitnesses = 'carbonledger.witnesses'; // {keys, required}
const kSeen = 'carbonledger.checkpoint.'; // + key name and id: the largest checkpoint verified

function seenCheckpoint(key) {
  try {
    const j = JSON.parse(localStorage.getItem(kSeen + key.name + '+' + hex(key.keyId)) ?? 'null');
    const root = j && base64Decode(j.root);
    return root && /^\d+$/.test(j.size) ? { size: BigInt(j.size), root } : null;
  } catch {
    return null;
  }
}

function rememberCheckpoint(key, cp) {
  try {
    localStorage.setItem(
      kSeen + key.name + '+' + hex(key.keyId),
      JSON.stringify({ size: String(cp.size), root: base64Encode(cp.root) }),
    );
  } catch {
    // storage disabled: nothing is remembered
  }
}

function decodeHashes(list) {
  return list.map((b) => {
    const hash = base64Decode(b);
    if (!hash || hash.length !== 32)
      throw new VerifyError('proof.size', 'a proof hash is not base64 of 32 bytes');
    return hash;
  });
}

function pinnedWitnesses() {
  try {
    const j = JSON.parse(localStorage.getItem(kPinnedWitnesses) ?? 'null');
    return j && typeof j.keys === 'string' ? j : null;
  } catch {
    return null;
  }
}

function pinnedKey() {
  try {
    return localStorage.getItem(kPinned);
  } catch {
    return null;
  }
}

function form(seq) {
  const input = h('input', {
    id: 'entry-seq',
    inputmode: 'numeric',
    size: 12,
    value: seq ?? '',
    placeholder: 'entry number',
  });
  return h(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        if (/^\d{1,19}$/.test(input.value.trim())) location.hash = `#/entry/${input.value.trim()}`;
      },
    },
    h('label', { for: 'entry-seq' }, 'Entry '),
    input,
    ' ',
    h('button', { type: 'submit' }, 'Open'),
  );
}

function decode(e) {
  const bytes = base64Decode(e.entry);
  if (!bytes) throw new VerifyError('entry.format', 'the entry bytes are not base64');
  const d = DecodeEntry(bytes);
  const tx = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(d.txBytes));
  return { bytes, d, tx };
}

function entryCard(e, { d, tx, bytes }) {
  return section(
    'Entry',
    { 'data-testid': 'entry' },
    h(
      'p',
      { class: 'muted' },
      `Decoded in this page from the ${num(bytes.length)} entry bytes (docs/ledger-format.md §Entries); these are the bytes Verify checks.`,
    ),
    facts([
      ['Sequence', String(d.seq)],
      ['Accepted', `${time(d.acceptedMs)} (${d.acceptedMs} ms)`],
      ['Type', mono(tx.type)],
      [
        'Signer',
        [h('strong', { 'data-testid': 'entry-signer' }, tx.signer), ` · nonce ${tx.nonce}`],
      ],
      ['Signer key', mono(base64Encode(d.signerKey))],
      ['Signature', mono(base64Encode(d.signature))],
      ['Ledger', mono(tx.ledger)],
      ['Leaf hash (server)', mono(e.leaf_hash)],
      ['Chain (server)', mono(e.chain)],
    ]),
    h(
      'details',
      { open: true },
      h('summary', null, 'Transaction body'),
      h('pre', { class: 'json' }, JSON.stringify(tx.body, null, 2)),
    ),
  );
}

// ---- Verify in browser.

function stepRow(list, title) {
  const detail = h('div', { class: 'detail' });
  const row = h(
    'li',
    { class: 'step running' },
    h('span', { class: 'mark' }),
    h('strong', null, title),
    detail,
  );
  list.append(row);
  return {
    ok(text) {
      row.className = 'step ok';
      detail.replaceChildren(text);
    },
    fail(err) {
      row.className = 'step fail';
      detail.replaceChildren(`${err.message}${err.reason ? ` (${err.reason})` : ''}`);
    },
  };
}

// Runs the checks in order and stops at the first failure. `shown` are the entry bytes the
// page displays; `keyText` the verifier key the auditor chose; `witnesses` the witness keys
// (one per line) and how many must have cosigned (0: all). With witnesses, the checkpoint is the
// latest the log's witnesses cosigned (GET /v1/checkpoint/witnessed), which may trail the log.
async function verify(seq, shown, keyText, witnesses, list) {
  const run = async (title, fn) => {
    const row = stepRow(list, title);
    try {
      row.ok(await fn());
    } catch (err) {
      row.fail(err);
      throw Object.assign(err, { step: title });
    }
  };
  let key, cp, proof, hashes, leaf, root, policy, note, cosigned;
  const index = BigInt(seq);
  await run('Trusted log key', async () => {
    key = await ParseVerifierKey(keyText);
    return `${key.name}+${hex(key.keyId)}: key id recomputed from the Ed25519 public key.`;
  });
  const witnessed = witnesses.keys.trim() !== '';
  if (witnessed) {
    await run('Trusted witnesses', async () => {
      policy = await ParseWitnessPolicy(witnesses.keys, witnesses.required);
      return `${policy.required} of ${policy.witnesses.length} required: ${policy.witnesses.map((w) => `${w.name}+${hex(w.keyId)}`).join(', ')}.`;
    });
  }
  const source = witnessed ? '/v1/checkpoint/witnessed' : '/v1/checkpoint';
  await run('Checkpoint signature (Ed25519, WebCrypto)', async () => {
    note = await get(source, { as: 'text' });
    cp = await OpenCheckpoint(note, key.name, key.publicKey, key.name);
    return `GET ${source}: origin ${cp.origin}, tree size ${cp.size}, root ${base64Encode(cp.root)} — signature verifies under the trusted key.`;
  });
  if (witnessed) {
    await run('Witness cosignatures (cosignature/v1, WebCrypto)', async () => {
      cosigned = await RequireCosignatures(note, policy);
      return `${cosigned.length} of ${policy.witnesses.length} cosign this checkpoint (${policy.required} required): ${cosigned.map((c) => `${c.name} at ${new Date(Number(c.timestamp) * 1000).toISOString()}`).join(', ')}.`;
    });
  }
  // A log that shows different trees to different people (a split view) is caught by checking
  // each checkpoint against the one this browser verified before (RFC 9162 §2.1.4).
  await run('Consistent with the checkpoint verified here before', async () => {
    const seen = seenCheckpoint(key);
    if (!seen) {
      rememberCheckpoint(key, cp);
      return 'the first checkpoint this browser verified under this key; it is remembered, and later ones must extend it.';
    }
    const [small, large] = seen.size <= cp.size ? [seen, cp] : [cp, seen];
    let path = [];
    if (small.size !== large.size && small.size !== 0n) {
      const p = await get(`/v1/proofs/consistency?from=${small.size}&to=${large.size}`);
      path = decodeHashes(p.hashes);
    }
    await VerifyConsistency(small.size, large.size, path, small.root, large.root);
    rememberCheckpoint(key, large);
    if (seen.size === cp.size)
      return `the same tree as the checkpoint of size ${seen.size} verified before.`;
    return seen.size < cp.size
      ? `extends the checkpoint of size ${seen.size} verified before: consistency proof of ${path.length} hashes.`
      : `is a prefix of the checkpoint of size ${seen.size} verified before (this server is behind): ${path.length} hashes.`;
  });
  await run('Inclusion proof', async () => {
    if (index >= cp.size)
      throw new VerifyError(
        'proof.index',
        witnessed
          ? `entry ${seq} is not below the witnessed checkpoint's size ${cp.size}: not yet cosigned, try again shortly`
          : `entry ${seq} is not below the checkpoint's size ${cp.size}`,
      );
    proof = await get(`/v1/proofs/inclusion?seq=${seq}&tree_size=${cp.size}`);
    if (BigInt(proof.leaf_index) !== index || BigInt(proof.tree_size) !== cp.size) {
      throw new VerifyError(
        'proof.index',
        `the proof is for leaf ${proof.leaf_index} of ${proof.tree_size}, not ${seq} of ${cp.size}`,
      );
    }
    hashes = decodeHashes(proof.hashes);
    return `GET /v1/proofs/inclusion?seq=${seq}&tree_size=${cp.size}: ${hashes.length} sibling hashes.`;
  });
  let decoded;
  await run('Entry bytes', async () => {
    const bytes = base64Decode(proof.entry ?? '');
    if (!bytes || !equalBytes(bytes, shown)) {
      throw new VerifyError(
        'entry.mismatch',
        'the proof carries other entry bytes than the ones shown above',
      );
    }
    decoded = DecodeEntry(bytes);
    if (decoded.seq !== index)
      throw new VerifyError('entry.format', `the bytes are entry ${decoded.seq}, not ${seq}`);
    return `the proof's entry equals the ${bytes.length} bytes shown above, and they say seq ${decoded.seq}.`;
  });
  await run('Transaction signature (Ed25519, WebCrypto)', async () => {
    if (!(await VerifyEd25519(decoded.signerKey, decoded.txBytes, decoded.signature))) {
      throw new VerifyError(
        'tx.signature',
        'the signature does not verify over the transaction bytes under the signer key',
      );
    }
    return `verifies over the ${decoded.txBytes.length} canonical transaction bytes under signer key ${base64Encode(decoded.signerKey)}.`;
  });
  await run('Leaf hash', async () => {
    leaf = await LeafHash(shown);
    return `SHA-256(0x00 ‖ entry) = ${base64Encode(leaf)}`;
  });
  await run('Root from the proof (RFC 9162 §2.1.3.2)', async () => {
    root = await RootFromInclusionProof(index, cp.size, leaf, hashes);
    return `RootFromInclusionProof(${seq}, ${cp.size}, leaf, proof) = ${base64Encode(root)}`;
  });
  await run('Root equals the signed checkpoint root', async () => {
    if (!equalBytes(root, cp.root)) {
      throw new VerifyError(
        'proof.mismatch',
        `the proof leads to ${base64Encode(root)}, the checkpoint says ${base64Encode(cp.root)}`,
      );
    }
    return 'VerifyInclusion holds.';
  });
  return { key, cp, cosigned };
}

function verifyCard(seq, shown, published) {
  const pinned = pinnedKey();
  const keyInput = h('input', {
    id: 'vkey',
    'data-testid': 'vkey',
    class: 'mono wide',
    spellcheck: 'false',
    value: pinned ?? published ?? '',
  });
  const source = h('p', { class: 'muted', 'data-testid': 'vkey-source' });
  const describe = () => {
    const v = keyInput.value.trim();
    const parts = [];
    if (pinned && v === pinned) parts.push('Pinned in this browser. ');
    else if (published && v === published)
      parts.push(
        'As published by this server in its genesis entry #0 (body.log_key). Compare it with the log.pub the registry operator gave you, then pin it. ',
      );
    else parts.push('Entered by you. ');
    if (published && v !== published) parts.push(badge('fail', 'differs from the key in entry #0'));
    source.replaceChildren(...parts);
  };
  keyInput.addEventListener('input', describe);
  describe();
  const file = h('input', { type: 'file', id: 'vkey-file', accept: '.pub,text/plain' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (f) keyInput.value = (await f.text()).trim();
    describe();
  });
  const pin = h(
    'button',
    {
      type: 'button',
      class: 'link',
      onclick: () => {
        try {
          localStorage.setItem(kPinned, keyInput.value.trim());
          pin.textContent = 'Pinned';
        } catch {
          pin.textContent = 'Cannot pin: storage disabled';
        }
      },
    },
    'Pin this key in this browser',
  );
  // Witnesses: their keys come from the auditor, like the log key, never from this server.
  const pinnedW = pinnedWitnesses();
  const witnessInput = h('textarea', {
    id: 'witnesses',
    'data-testid': 'witnesses',
    class: 'mono wide',
    rows: '3',
    spellcheck: 'false',
    placeholder: 'one witness key per line (carbonledger witness-key output); empty: no witnesses required',
  });
  witnessInput.value = pinnedW?.keys ?? '';
  const requiredInput = h('input', {
    id: 'witnesses-required',
    'data-testid': 'witnesses-required',
    type: 'number',
    min: '0',
    value: String(pinnedW?.required ?? 0),
  });
  const pinW = h(
    'button',
    {
      type: 'button',
      class: 'link',
      onclick: () => {
        try {
          localStorage.setItem(
            kPinnedWitnesses,
            JSON.stringify({ keys: witnessInput.value, required: Number(requiredInput.value) || 0 }),
          );
          pinW.textContent = 'Pinned';
        } catch {
          pinW.textContent = 'Cannot pin: storage disabled';
        }
      },
    },
    'Pin these witnesses in this browser',
  );
  const list = h('ol', { class: 'steps', 'data-testid': 'verify-steps' });
  const result = h('div', {
    class: 'result',
    'data-testid': 'verify-result',
    'data-status': 'idle',
  });
  const button = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'verify-button' },
    'Verify in browser',
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    list.replaceChildren();
    result.dataset.status = 'running';
    result.replaceChildren('Verifying…');
    try {
      const required = Number(requiredInput.value);
      if (!Number.isInteger(required) || required < 0) {
        throw Object.assign(
          new VerifyError('cosignature.policy', 'the number of witnesses required is not a whole number'),
          { step: 'Trusted witnesses' },
        );
      }
      const { key, cp, cosigned } = await verify(
        seq,
        shown,
        keyInput.value,
        { keys: witnessInput.value, required },
        list,
      );
      result.dataset.status = 'ok';
      result.replaceChildren(
        h('strong', null, 'Verified in this browser. '),
        `Entry #${seq} is leaf ${seq} of the log of ${cp.size} entries whose checkpoint is signed by ${key.name}+${hex(key.keyId)}` +
          (cosigned ? ` and cosigned by ${cosigned.map((c) => c.name).join(', ')}.` : '.'),
      );
    } catch (err) {
      result.dataset.status = 'fail';
      result.replaceChildren(
        h('strong', null, 'Not verified. '),
        `${err.step ?? 'Verification'}: ${err.message}${err.reason ? ` (${err.reason})` : ''}`,
      );
    }
    button.disabled = false;
  });
  return section(
    'Verify in browser',
    { 'data-testid': 'verify' },
    h(
      'p',
      null,
      'This page checks, with your browser’s WebCrypto, that the bytes above are in the log: it fetches the latest checkpoint ',
      'and an inclusion proof, checks the checkpoint’s Ed25519 signature under the log key below, recomputes the leaf hash and ',
      'the Merkle root from the proof, and compares it with the signed root; it also checks that the checkpoint extends the one ',
      'it verified before (consistency proof). The server supplies data, not the verdict; ',
      'what you trust is the log key, so take it from somewhere other than this server (the operator’s ',
      mono('keys/log.pub'),
      ').',
    ),
    h('p', null, h('label', { for: 'vkey' }, 'Trusted log key (verifier key) '), keyInput),
    source,
    h('p', null, h('label', { for: 'vkey-file' }, 'Load a log.pub file '), file, ' ', pin),
    h(
      'p',
      null,
      h('label', { for: 'witnesses' }, 'Witnesses that must have cosigned (optional) '),
      witnessInput,
    ),
    h(
      'p',
      null,
      h('label', { for: 'witnesses-required' }, 'How many of them (0: all) '),
      requiredInput,
      ' ',
      pinW,
    ),
    h('p', null, button),
    list,
    result,
  );
}

export async function renderEntry(el, seq) {
  el.append(h('h1', null, seq === null ? 'Entry' : `Entry #${seq}`), form(seq));
  if (seq === null) {
    el.append(
      h(
        'p',
        { class: 'muted' },
        'Open an entry by number, or follow an entry link from any other page.',
      ),
    );
    return;
  }
  const [e, genesis] = await Promise.all([
    get(`/v1/entries/${seq}`),
    get('/v1/entries/0').catch(() => null),
  ]);
  const decoded = decode(e);
  const published = genesis?.tx?.body?.log_key ?? null;
  const n = Number(seq);
  el.append(
    h(
      'p',
      { class: 'pager' },
      n > 0 ? link(`#/entry/${n - 1}`, `← #${n - 1}`) : '',
      ' ',
      link(`#/entry/${n + 1}`, `#${n + 1} →`),
    ),
    entryCard(e, decoded),
    verifyCard(seq, decoded.bytes, published),
  );
}

// Browser test of the explorer (docs/explorer.md): the real carbonledgerd on an ephemeral
// loopback port with the demo scenario loaded through its API, and Debian's headless Chromium
// driven by playwright-core. It opens every page, signs in as the demo's auditor with its key
// file, follows a serial's trace, presses "Verify in browser" and sees it succeed, then tampers
// with the proof and the checkpoint on their way to the page and sees it fail. No request may
// leave localhost, and the page may log no error (a CSP violation would be one).
// Screenshots of each page go to $SCREENSHOT_DIR (default: ./screenshots).
//
// Environment: CARBONLEDGER_BIN_DIR (carbonledgerd and carbonledger; required),
// CHROMIUM (default /usr/bin/chromium), SCREENSHOT_DIR.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { HashChildren, LeafHash, NoteKeyId } from '../../api/web/verify.js';

const binDir = process.env.CARBONLEDGER_BIN_DIR;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = process.env.SCREENSHOT_DIR || path.resolve('screenshots');
// Without these Chromium tries to reach outside hosts (and waits on a closed network).
const kChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let dir;
let daemon;
let base;
const witnesses = []; // {process, key}: two witnesses the daemon sends its checkpoints to
let context;
let page;
const requests = [];
const pageErrors = [];

function run(bin, args) {
  const r = spawnSync(path.join(binDir, bin), args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${bin} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// Starts `bin` with `args` and --listen 127.0.0.1:0, and resolves with {child, port} from its
// "serving ... on 127.0.0.1:PORT" line.
function startServer(bin, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(binDir, bin),
      [...args, '--listen', '127.0.0.1:0', '--log-level', '0'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    const timer = setTimeout(() => reject(new Error(`${bin} did not start:\n${log}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = / on 127\.0\.0\.1:(\d+) /.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`${bin} exited (${code}):\n${log}`)));
  });
}

// Two witnesses for the log in `data` (docs/witness.md), and the daemon sending them its
// checkpoints every 200 ms; resolves with the daemon's port.
async function startDaemon(data) {
  const lines = [];
  for (const n of [1, 2]) {
    const keyFile = path.join(dir, `witness-${n}.key`);
    run('carbonledger', ['keygen', '--name', `witness.local/w${n}`, '--out', keyFile]);
    const key = run('carbonledger', ['witness-key', '--key', keyFile]).trim();
    const { child, port } = await startServer('carbonledger', [
      'witness',
      '--key',
      keyFile,
      '--logs',
      path.join(data, 'keys', 'log.pub'),
      '--data',
      path.join(dir, `witness-${n}`),
    ]);
    witnesses.push({ process: child, key });
    lines.push(`http://127.0.0.1:${port} ${key}`);
  }
  writeFileSync(path.join(dir, 'witnesses.txt'), lines.join('\n') + '\n');
  const started = await startServer('carbonledgerd', [
    '--data',
    data,
    '--witnesses',
    path.join(dir, 'witnesses.txt'),
    '--witness-interval-ms',
    '200',
  ]);
  daemon = started.child;
  return started.port;
}

async function open(hash, pageName) {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector(`[data-page="${pageName}"][data-ready="true"]`, { timeout: 15_000 });
}

async function screenshot(name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

// Serves the page a changed answer for requests matching `pattern`.
async function tamper(pattern, change) {
  await page.route(pattern, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: change(await res.text()) });
  });
}

// The RFC 6962 root of the daemon's first `size` entries, computed here.
async function rootAt(size) {
  const { entries } = await (await fetch(`${base}/v1/entries?start=0&limit=${size}`)).json();
  const mth = async (hashes) => {
    if (hashes.length === 1) return hashes[0];
    let k = 1;
    while (k * 2 < hashes.length) k *= 2;
    return HashChildren(await mth(hashes.slice(0, k)), await mth(hashes.slice(k)));
  };
  return mth(await Promise.all(entries.map((e) => LeafHash(Buffer.from(e.entry, 'base64')))));
}

async function verifyResult() {
  await page.click('[data-testid="verify-button"]');
  const result = page.locator('[data-testid="verify-result"]');
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="verify-result"]')?.dataset.status;
      return s === 'ok' || s === 'fail';
    },
    null,
    { timeout: 15_000 },
  );
  return { status: await result.getAttribute('data-status'), text: await result.innerText() };
}

before(async () => {
  assert.ok(
    binDir,
    'set CARBONLEDGER_BIN_DIR to the directory holding carbonledgerd and carbonledger',
  );
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'carbonledger-browser-'));
  const data = path.join(dir, 'data');
  run('carbonledger', ['init', '--data', data, '--origin', 'carbonledger.local/demo']);
  const port = await startDaemon(data);
  base = `http://127.0.0.1:${port}`;
  const demo = run('carbonledger', ['demo', '--server', base, '--data', data]);
  assert.match(demo, /statement is S\d+ \(verdict pass\)/);
  context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: kChromiumArgs,
    viewport: { width: 1280, height: 900 },
    timeout: 30_000,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
});

after(async () => {
  await context?.close();
  for (const p of [daemon, ...witnesses.map((w) => w.process)]) {
    if (p && p.exitCode === null) {
      p.kill('SIGTERM');
      await new Promise((resolve) => p.once('exit', resolve));
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the explorer against the demo ledger', () => {
  test('serves the page with a strict CSP, and unknown paths 404', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
    assert.doesNotMatch(res.headers.get('content-security-policy'), /unsafe-inline/);
    const again = await fetch(`${base}/`, {
      headers: { 'If-None-Match': res.headers.get('etag') },
    });
    assert.equal(again.status, 304);
    for (const p of ['/nope', '/web/nope.js', '/web/..%2F..%2Fserver.cc', '/index.html', '/web/']) {
      const r = await fetch(`${base}${p}`);
      assert.equal(r.status, 404, p);
      assert.match(r.headers.get('content-type'), /problem\+json/, p);
    }
    assert.equal((await fetch(`${base}/v1/health`)).status, 200);
  });

  test('registry overview: totals, latest checkpoint, recent entries, parks', async () => {
    await open('#/', 'registry');
    const totals = await page.locator('[data-testid="totals"] tbody').innerText();
    assert.match(totals, /GEC\tMWh\t60,000\t/);
    assert.match(totals, /CCER\tt CO₂e\t5,000\t/);
    assert.match(
      await page.locator('[data-testid="checkpoint"]').innerText(),
      /carbonledger\.local\/demo/,
    );
    assert.ok((await page.locator('[data-testid="recent"] tbody tr').count()) >= 10);
    assert.match(await page.locator('[data-testid="parks"]').innerText(), /park-hefei/);
    await screenshot('registry');
  });

  test('park page without signing in: public tables, and says what is hidden', async () => {
    await open('#/parks/park-hefei/2025', 'parks');
    assert.match(await page.locator('[data-testid="signed-out"]').innerText(), /Public data only/);
    assert.match(await page.locator('[data-testid="claims"]').innerText(), /40,000 MWh/);
    assert.match(await page.locator('[data-testid="retirements-table"]').innerText(), /CCER-\d+/);
    assert.match(await page.locator('[data-testid="statements-table"]').innerText(), /pass/);
    // Nothing was recorded for Hefei 2025 after the demo's statement.
    assert.equal(await page.locator('[data-testid="statement-since"]').first().innerText(), 'nothing since');
    assert.ok((await page.locator('[data-testid="hidden-note"]').count()) >= 3);
    // The breakdown recorded in the public statement is still drawn.
    assert.equal(await page.locator('[data-testid="inventory-chart"]').count(), 1);
    await screenshot('park-public');
  });

  test('signing in with the auditor key file signs the requests', async () => {
    await page.click('text=Sign in');
    await page.setInputFiles(
      '[data-testid="key-file"]',
      path.join(dir, 'data', 'keys', 'auditor-1.key'),
    );
    await page.waitForSelector('[data-testid="signed-in"]');
    assert.match(
      await page.locator('[data-testid="signed-in"]').innerText(),
      /auditor-1 · auditor/,
    );
  });

  test('park page signed in: inventory, green share, neutrality per profile, Anhui score, statements', async () => {
    await open('#/parks/park-hefei/2025', 'parks');
    assert.equal(await page.locator('[data-testid="hidden-note"]').count(), 0);
    assert.match(await page.locator('[data-testid="inventory-table"]').innerText(), /2,810\.847/);
    assert.equal(await page.locator('[data-testid="green-share"]').innerText(), '100.00 %');
    const neutrality = await page.locator('[data-testid="neutrality-table"]').innerText();
    assert.match(neutrality, /anhui-2024[\s\S]*pass/);
    assert.equal(await page.locator('[data-testid="neutrality-table"] tbody tr').count(), 4);
    assert.match(await page.locator('[data-testid="anhui-score"]').innerText(), /^\d/);
    await screenshot('park');
    await open('#/parks/park-lanzhou/2025', 'parks');
    assert.match(await page.locator('[data-testid="neutrality-table"]').innerText(), /fail/);
  });

  test('a serial followed from the claims table is traced from issuance to its claim', async () => {
    await open('#/parks/park-hefei/2025', 'parks');
    await page
      .locator('[data-testid="claims-table"] tbody tr')
      .first()
      .locator('a[href^="#/trace/"]')
      .click();
    await page.waitForSelector('[data-page="trace"][data-ready="true"]');
    assert.match(page.url(), /#\/trace\/GEC\/\d+$/);
    const issuance = await page.locator('[data-testid="trace-issuance"]').innerText();
    assert.match(issuance, /gen-jiuquan-wind|gen-huainan-solar/);
    assert.match(issuance, /wind|solar/);
    const steps = await page.locator('[data-testid="trace-table"]').innerText();
    assert.match(steps, /issue/);
    assert.match(steps, /transfer|split/);
    assert.match(
      await page.locator('[data-testid="trace-outcome"]').innerText(),
      /claimed by park-hefei/,
    );
    await screenshot('trace');
  });

  test('Verify in browser: the claim entry is proved against the signed checkpoint', async () => {
    // Follow the last step's entry link (the claim) from the trace page.
    await page
      .locator('[data-testid="trace-table"] tbody tr')
      .last()
      .locator('a[href^="#/entry/"]')
      .click();
    await page.waitForSelector('[data-page="entry"][data-ready="true"]');
    assert.match(await page.locator('[data-testid="entry"]').innerText(), /gec\.claim|claim/);
    assert.match(
      await page.locator('[data-testid="vkey"]').inputValue(),
      /^carbonledger\.local\/demo\+[0-9a-f]{8}\+/,
    );
    const r = await verifyResult();
    assert.equal(r.status, 'ok', r.text);
    assert.match(r.text, /Verified in this browser/);
    assert.equal(await page.locator('[data-testid="verify-steps"] li.ok').count(), 9);
    await screenshot('entry');
  });

  test('each checkpoint must extend the one verified before: a fork is refused', async () => {
    const [, name, id] = /^([^+]+)\+([0-9a-f]{8})\+/.exec(
      await page.locator('[data-testid="vkey"]').inputValue(),
    );
    const storageKey = `carbonledger.checkpoint.${name}+${id}`;
    const seen = await page.evaluate((k) => localStorage.getItem(k), storageKey);
    const older = Number(JSON.parse(seen).size) - 3;
    const root = Buffer.from(await rootAt(older));
    const remember = (r) =>
      page.evaluate(
        ([k, v]) => localStorage.setItem(k, v),
        [storageKey, JSON.stringify({ size: String(older), root: r.toString('base64') })],
      );
    await remember(root);
    let r = await verifyResult();
    assert.equal(r.status, 'ok', r.text);
    assert.match(
      await page.locator('[data-testid="verify-steps"]').innerText(),
      new RegExp(`extends the checkpoint of size ${older}`),
    );
    // What this browser saw before was another tree of that size: a split view.
    root[5] ^= 0x01;
    await remember(root);
    r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /Consistent with the checkpoint verified here before: .*proof\.mismatch/);
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [storageKey, seen]);
  });

  test('a tampered inclusion proof fails verification', async () => {
    await tamper('**/v1/proofs/inclusion**', (body) => {
      const proof = JSON.parse(body);
      const h = Buffer.from(proof.hashes[0], 'base64');
      h[0] ^= 0x01;
      proof.hashes[0] = h.toString('base64');
      return JSON.stringify(proof);
    });
    const r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /proof\.mismatch/);
    assert.equal(await page.locator('[data-testid="verify-steps"] li.fail').count(), 1);
    await screenshot('entry-tampered');
    await page.unrouteAll();
  });

  test('a tampered checkpoint, other entry bytes or another key fail verification', async () => {
    await tamper('**/v1/checkpoint', (note) =>
      note.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`),
    );
    let r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /checkpoint\.signature/);
    await page.unrouteAll();

    await tamper('**/v1/proofs/inclusion**', (body) => {
      const proof = JSON.parse(body);
      const e = Buffer.from(proof.entry, 'base64');
      e[e.length - 2] ^= 0x01;
      proof.entry = e.toString('base64');
      return JSON.stringify(proof);
    });
    r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /entry\.mismatch/);
    await page.unrouteAll();

    // A well-formed key the log did not sign with: same name, the RFC 8032 test key.
    const name = 'carbonledger.local/demo';
    const pub = Buffer.from(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      'hex',
    );
    const id = Buffer.from(await NoteKeyId(name, pub)).toString('hex');
    await page.fill(
      '[data-testid="vkey"]',
      `${name}+${id}+${Buffer.concat([Buffer.of(1), pub]).toString('base64')}`,
    );
    assert.match(
      await page.locator('[data-testid="vkey-source"]').innerText(),
      /differs from the key in entry #0/,
    );
    r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /checkpoint\.signature/);

    // And the untouched answers still verify under the published key. (The reload forgets the
    // auditor's key, which was kept in memory only.)
    await page.reload();
    await page.waitForSelector('[data-page="entry"][data-ready="true"]');
    await page.waitForSelector('[data-testid="signed-out"]');
    r = await verifyResult();
    assert.equal(r.status, 'ok', r.text);
  });

  test('a key kept for the tab survives a reload; signing out forgets it', async () => {
    await page.click('text=Sign in');
    await page.check('#keep-key');
    await page.setInputFiles(
      '[data-testid="key-file"]',
      path.join(dir, 'data', 'keys', 'auditor-1.key'),
    );
    await page.waitForSelector('[data-testid="signed-in"]');
    await page.reload();
    await page.waitForSelector('[data-testid="signed-in"]');
    await page.click('text=Sign out');
    await page.waitForSelector('[data-testid="signed-out"]');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('carbonledger.key')), null);
  });

  test('signed out, the trace says it needs a signed request', async () => {
    await open('#/trace/GEC/1', 'trace');
    assert.match(
      await page.locator('[data-testid="hidden-note"]').innerText(),
      /Hidden: the trace of GEC-1/,
    );
  });

  test('Verify in browser can require k of n named witnesses', async () => {
    // Wait until both witnesses have cosigned a checkpoint covering the demo.
    const size = BigInt(/\n(\d+)\n/.exec(await (await fetch(`${base}/v1/checkpoint`)).text())[1]);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await fetch(`${base}/v1/checkpoint/witnessed`);
      const note = r.ok ? await r.text() : '';
      const m = /\n(\d+)\n/.exec(note);
      if (m && BigInt(m[1]) >= size && (note.match(/\u2014 witness\.local\//g) ?? []).length === 2)
        break;
      assert.ok(Date.now() < deadline, `the witnesses did not cosign: ${r.status} ${note}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await open('#/entry/5', 'entry');
    const keys = witnesses.map((w) => w.key);
    await page.fill('[data-testid="witnesses"]', keys.join('\n'));
    await page.fill('[data-testid="witnesses-required"]', '2');
    let r = await verifyResult();
    assert.equal(r.status, 'ok', r.text);
    assert.match(r.text, /cosigned by witness\.local\/w1, witness\.local\/w2/);
    const steps = await page.locator('[data-testid="verify-steps"]').innerText();
    assert.match(steps, /GET \/v1\/checkpoint\/witnessed/);
    assert.match(steps, /2 of 2 cosign this checkpoint \(2 required\)/);
    assert.equal(await page.locator('[data-testid="verify-steps"] li.ok').count(), 11);
    await screenshot('entry-witnessed');

    // A third named witness that never cosigned: 3 of 3 fails, 2 of 3 holds.
    const third = run('carbonledger', [
      'witness-key',
      '--key',
      path.join(dir, 'data', 'keys', 'auditor-1.key'),
    ]).trim();
    await page.fill('[data-testid="witnesses"]', [...keys, third].join('\n'));
    await page.fill('[data-testid="witnesses-required"]', '0');
    r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /Witness cosignatures.*2 of the 3 required.*cosignature\.quorum/);
    await page.fill('[data-testid="witnesses-required"]', '2');
    assert.equal((await verifyResult()).status, 'ok');

    // A cosignature changed on its way to the page no longer counts.
    await tamper('**/v1/checkpoint/witnessed', (note) =>
      note.replace(/(\u2014 witness\.local\/w1 .{40})(.)/, (_, p, c) => p + (c === 'A' ? 'B' : 'A')),
    );
    r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /cosignature\.quorum/);
    await page.unrouteAll();
    // A log key line is not a witness key.
    await page.fill('[data-testid="witnesses"]', readFileSync(path.join(dir, 'data', 'keys', 'log.pub'), 'utf8'));
    r = await verifyResult();
    assert.equal(r.status, 'fail');
    assert.match(r.text, /cosignature\.key/);
    await page.fill('[data-testid="witnesses"]', '');
    assert.equal((await verifyResult()).status, 'ok');
  });

  test('no request left localhost and the pages logged no error', () => {
    assert.ok(requests.length > 20);
    const outside = requests.filter((u) => !u.startsWith(`${base}/`));
    assert.deepEqual(outside, []);
    assert.deepEqual(pageErrors, []);
  });
});

// The explorer's shell: a hash router over four pages (registry, park, trace, entry) and the
// sign-in panel. Pages are modules exporting render(main, params) → Promise; a page that
// loses the race to a newer navigation is simply replaced.
import { ApiError, get, session } from './api.js';
import { LoadSigningKey, StoreKeyText, StoredKeyText } from './auth.js';
import { renderEntry } from './entry.js';
import { renderPark, renderParks } from './park.js';
import { renderRegistry } from './registry.js';
import { renderTrace } from './trace.js';
import { h, problem } from './ui.js';

const routes = [
  [/^\/?$/, 'registry', () => renderRegistry],
  [/^\/parks\/?$/, 'parks', () => renderParks],
  [
    /^\/parks\/([a-z0-9][a-z0-9._-]{0,63})(?:\/(\d{4}))?$/,
    'parks',
    (m) => (el) => renderPark(el, m[1], m[2]),
  ],
  [/^\/trace\/?$/, 'trace', () => (el) => renderTrace(el, null, null)],
  [/^\/trace\/(GEC|CCER|CIC)\/(\d{1,16})$/, 'trace', (m) => (el) => renderTrace(el, m[1], m[2])],
  [/^\/entry\/?$/, 'entry', () => (el) => renderEntry(el, null)],
  [/^\/entry\/(\d{1,19})$/, 'entry', (m) => (el) => renderEntry(el, m[1])],
];

let navigation = 0;

// The page to return to after the sign-in panel (sessionStorage may be disabled).
function lastPage(set) {
  try {
    if (set) sessionStorage.setItem('carbonledger.last', set);
    return sessionStorage.getItem('carbonledger.last') || '#/';
  } catch {
    return '#/';
  }
}

async function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (hash === 'signin') {
    showSignIn(true);
    history.replaceState(null, '', location.pathname + lastPage());
    // Opened at #signin: show the page behind the panel too.
    if (!document.querySelector('[data-page]')) await route();
    return;
  }
  lastPage(location.hash || '#/');
  const main = document.getElementById('main');
  const mine = ++navigation;
  let page = null;
  let nav = '';
  for (const [re, name, make] of routes) {
    const m = re.exec(hash);
    if (m) {
      page = make(m);
      nav = name;
      break;
    }
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', a.dataset.nav === nav);
  }
  const el = h('div', { class: 'page', 'data-page': nav || 'none' });
  main.replaceChildren(el);
  if (!page) {
    el.append(
      h('h1', null, 'Not found'),
      h('p', null, `No page “${hash}”. `, h('a', { href: '#/' }, 'Registry overview')),
    );
    return;
  }
  try {
    await page(el);
  } catch (err) {
    if (mine === navigation) el.append(problem(err));
  }
  if (mine === navigation) el.setAttribute('data-ready', 'true');
}

// ---- Sign-in.

function renderSession() {
  const box = document.getElementById('session');
  if (session.signer) {
    box.replaceChildren(
      h(
        'span',
        { class: 'who', 'data-testid': 'signed-in' },
        'Signed in as ',
        h('strong', null, session.signer.account),
        session.account ? ` · ${session.account.role}` : '',
      ),
      h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'),
    );
  } else {
    box.replaceChildren(
      h('span', { class: 'who muted', 'data-testid': 'signed-out' }, 'Public data only'),
      h('button', { type: 'button', onclick: () => showSignIn(true) }, 'Sign in'),
    );
  }
}

function showSignIn(open) {
  const panel = document.getElementById('signin');
  panel.hidden = !open;
  if (!open) return;
  const status = h('p', { class: 'muted', 'data-testid': 'signin-status' });
  const keep = h('input', { type: 'checkbox', id: 'keep-key' });
  const file = h('input', {
    type: 'file',
    id: 'key-file',
    'data-testid': 'key-file',
    accept: '.key,text/plain',
  });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    status.textContent = 'Loading the key…';
    try {
      await signIn(await f.text(), keep.checked);
      panel.hidden = true;
    } catch (err) {
      status.replaceChildren(problem(err));
    }
    file.value = '';
  });
  panel.replaceChildren(
    h('h2', null, 'Sign in with your key file'),
    h(
      'p',
      null,
      'Choose the private key file that ',
      h('code', null, 'carbonledger keygen'),
      ' wrote for your account (',
      h('code', null, 'PRIVATE+KEY+<account>+…'),
      '). ',
      'The key stays in this page: it signs each request here (RFC 9421, Ed25519) and is never sent. ',
      'It is forgotten when you sign out or close the page.',
    ),
    h('p', null, h('label', { for: 'key-file' }, 'Key file '), file),
    h(
      'p',
      null,
      keep,
      h(
        'label',
        { for: 'keep-key' },
        ' Keep it for this tab (sessionStorage) so a reload does not sign you out',
      ),
    ),
    status,
    h('button', { type: 'button', class: 'link', onclick: () => showSignIn(false) }, 'Close'),
  );
}

// Loads the key, then asks the server who that is with a signed request: a wrong key or an
// unknown account fails here, before any page relies on it.
async function signIn(text, keep, { reroute = true } = {}) {
  const signer = await LoadSigningKey(text);
  const previous = { ...session };
  session.signer = signer;
  try {
    session.account = await get(`/v1/accounts/${signer.account}`, { signed: true });
  } catch (err) {
    Object.assign(session, previous);
    if (err instanceof ApiError && err.status === 401) {
      throw new Error(
        `the server did not accept a request signed by "${signer.account}": ${err.message}`,
      );
    }
    throw err;
  }
  StoreKeyText(keep ? signer.text : null);
  delete signer.text;
  renderSession();
  if (reroute) await route();
}

async function signOut() {
  session.signer = null;
  session.account = null;
  StoreKeyText(null);
  renderSession();
  await route();
}

async function start() {
  const stored = StoredKeyText();
  if (stored) {
    try {
      await signIn(stored, true, { reroute: false });
    } catch {
      StoreKeyText(null);
    }
  }
  renderSession();
  window.addEventListener('hashchange', route);
  await route();
}

start();

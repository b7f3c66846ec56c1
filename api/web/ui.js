// DOM helpers. Every value from the server becomes a text node or an attribute, never markup,
// so nothing the log holds can run as script (the Content-Security-Policy forbids inline code
// as well).
const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  return el;
}

// h('a', {href: '#/'}, 'text', child, [more]): an element.
export function h(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

export function s(tag, attrs, ...children) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

export function entryLink(seq) {
  return link(`#/entry/${seq}`, `#${seq}`);
}

// "GEC-1-25000" or "GEC-7" → a link to the trace of its first serial.
export function serialsLink(instrument, first, label) {
  return link(`#/trace/${instrument}/${first}`, label);
}

// Decimal strings and integers with thousands separators, never through floating point.
export function num(v) {
  if (v === null || v === undefined || v === '') return '—';
  const [int, frac] = String(v).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

export function time(ms) {
  const d = new Date(Number(ms));
  return Number.isFinite(d.getTime())
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
    : '—';
}

// A table from columns [{label, cell: row => node|string, num: bool}] and rows.
export function table(columns, rows, { empty = 'None.', testid = null } = {}) {
  if (!rows.length) return h('p', { class: 'muted', 'data-testid': testid }, empty);
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { 'data-testid': testid },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((c) => h('th', { class: c.num && 'num' }, c.label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            columns.map((c) => h('td', { class: c.num && 'num' }, c.cell(r))),
          ),
        ),
      ),
    ),
  );
}

// Label/value pairs.
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

export function section(title, attrs, ...children) {
  return h('section', { class: 'card', ...attrs }, h('h2', null, title), ...children);
}

export function badge(kind, text) {
  return h('span', { class: `badge ${kind}` }, text);
}

// What a visitor who is not signed in does not see, and why.
export function hidden(what) {
  return h(
    'p',
    { class: 'hidden-note', 'data-testid': 'hidden-note' },
    `Hidden: ${what}. It needs a signed request from the park itself or a registry, certifier or auditor account — `,
    link('#signin', 'sign in with your key file'),
    '.',
  );
}

export function problem(err) {
  const reason = err?.reason ? ` (${err.reason})` : '';
  return h('p', { class: 'error', role: 'alert' }, `${err?.message ?? err}${reason}`);
}

export function loading() {
  return h('p', { class: 'muted' }, 'Loading…');
}

export function mono(text) {
  return h('code', { class: 'mono' }, text);
}

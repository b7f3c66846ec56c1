// Trace page: one serial number's path from its issuance through every transfer to its claim,
// retirement (注销), expiry or cancellation, each step linked to the entry that made it.
// The trace endpoint needs a signed request from a registry, certifier or auditor account.
import { get, session } from './api.js';
import { badge, entryLink, facts, h, hidden, link, mono, num, section, table } from './ui.js';

const FINAL = new Set(['claimed', 'retired', 'expired', 'cancelled']);

function form(instrument, serial) {
  const inst = h(
    'select',
    { id: 'trace-instrument', 'data-testid': 'trace-instrument' },
    ['GEC', 'CCER', 'CIC'].map((i) => h('option', { value: i, selected: i === instrument }, i)),
  );
  const input = h('input', {
    id: 'trace-serial',
    'data-testid': 'trace-serial',
    inputmode: 'numeric',
    size: 16,
    placeholder: 'serial, e.g. 1 or GEC-1',
    value: serial ?? '',
  });
  const go = (e) => {
    e.preventDefault();
    // Accept a pasted block name too: "GEC-25001-40000" → GEC, 25001.
    const m = /^(GEC|CCER|CIC)-(\d+)/.exec(input.value.trim());
    const i = m ? m[1] : inst.value;
    const n = m ? m[2] : input.value.trim();
    if (/^\d{1,16}$/.test(n) && n !== '0') location.hash = `#/trace/${i}/${Number(n)}`;
    else input.setCustomValidity('a serial number is a positive integer') || input.reportValidity();
  };
  input.addEventListener('input', () => input.setCustomValidity(''));
  return h(
    'form',
    { class: 'inline', onsubmit: go },
    h('label', { for: 'trace-instrument' }, 'Instrument '),
    inst,
    ' ',
    h('label', { for: 'trace-serial' }, 'Serial '),
    input,
    ' ',
    h('button', { type: 'submit', 'data-testid': 'trace-go' }, 'Trace'),
  );
}

function issuance(t) {
  const a = t.attributes;
  return section(
    'Issuance',
    { 'data-testid': 'trace-issuance' },
    facts([
      [
        'Instrument',
        `${t.instrument} (${t.instrument === 'GEC' ? '1 unit = 1 MWh' : '1 unit = 1 t CO₂e'})`,
      ],
      ['Issued by', [entryLink(a.issuance_seq), ' ', mono(a.issuance)]],
      a.generator && ['Generator', mono(a.generator)],
      a.project && ['Project', mono(a.project)],
      a.technology && ['Technology', a.technology],
      a.methodology && ['Methodology', a.methodology],
      a.region && ['Location (GB/T 2260)', a.region],
      ['Vintage', a.vintage],
      a.valid_through && ['Valid through', a.valid_through],
    ]),
  );
}

function ending(last) {
  if (FINAL.has(last.status)) {
    const what = last.ref ? [' in ', mono(last.ref)] : '';
    return h(
      'p',
      { class: 'outcome', 'data-testid': 'trace-outcome' },
      badge(last.status, last.status),
      ` by ${last.holder}`,
      what,
      ' — entry ',
      entryLink(last.seq),
      '.',
    );
  }
  return h(
    'p',
    { class: 'outcome', 'data-testid': 'trace-outcome' },
    badge(last.status, last.status),
    ` held by ${last.holder} since entry `,
    entryLink(last.seq),
    '.',
  );
}

export async function renderTrace(el, instrument, serial) {
  el.append(h('h1', null, 'Trace a serial number'), form(instrument ?? 'GEC', serial));
  if (!instrument) {
    el.append(
      h(
        'p',
        { class: 'muted' },
        'Serials appear in the claim and retirement tables of each park; follow one, or type it.',
      ),
    );
    return;
  }
  if (!session.signer) {
    el.append(hidden(`the trace of ${instrument}-${serial}`));
    return;
  }
  const t = await get(`/v1/serials/${instrument}/${serial}/trace`, { signed: true });
  const last = t.steps[t.steps.length - 1];
  el.append(
    h('h2', { class: 'subject' }, `${t.instrument}-${t.serial}`),
    ending(last),
    issuance(t),
    section(
      'Path',
      { 'data-testid': 'trace-steps' },
      h(
        'p',
        { class: 'muted' },
        'Each version of the block holding this serial, oldest first; each was created by the entry linked.',
      ),
      table(
        [
          { label: 'Step', num: true, cell: (b) => b.step },
          { label: 'Event', cell: (b) => badge(b.event, b.event) },
          { label: 'Entry', cell: (b) => entryLink(b.seq) },
          { label: 'Block', cell: (b) => [mono(b.id), ' ', b.serials] },
          { label: 'Units', num: true, cell: (b) => num(b.quantity) },
          { label: 'Holder', cell: (b) => b.holder },
          { label: 'Status', cell: (b) => badge(b.status, b.status) },
          { label: 'Reference', cell: (b) => (b.ref ? mono(b.ref) : '') },
        ],
        t.steps.map((s, i) => ({ ...s, step: i + 1 })),
        { testid: 'trace-table' },
      ),
    ),
    h('p', null, link('#/trace', 'Trace another serial')),
  );
}

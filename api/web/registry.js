// Registry overview: totals by instrument, the latest checkpoint, recent entries and the parks.
// All of it is public.
import { get, getAllParks } from './api.js';
import { ParseCheckpointBody, base64Encode } from './verify.js';
import { entryLink, facts, h, link, mono, num, section, table, time } from './ui.js';

const UNITS = { GEC: 'MWh', CCER: 't CO₂e', CIC: 't CO₂e' };
const RECENT = 15;

export function parksList(parks) {
  return table(
    [
      { label: 'Park', cell: (p) => link(`#/parks/${p.id}`, p.name || p.id) },
      { label: 'Account', cell: (p) => mono(p.id) },
      { label: 'Region', cell: (p) => p.region },
      {
        label: 'Years',
        cell: (p) => p.years.map((y, i) => [i ? ' ' : '', link(`#/parks/${p.id}/${y}`, String(y))]),
      },
    ],
    parks,
    { empty: 'No park accounts yet.', testid: 'parks' },
  );
}

export async function renderRegistry(el) {
  el.append(h('h1', null, 'Registry'));
  const [totals, note, parks] = await Promise.all([
    get('/v1/registry/totals'),
    get('/v1/checkpoint', { as: 'text' }),
    getAllParks(),
  ]);
  const cp = ParseCheckpointBody(note.slice(0, note.lastIndexOf('\n\n') + 1));
  const size = Number(cp.size);
  const start = Math.max(0, size - RECENT);
  const recent = await get(`/v1/entries?start=${start}&limit=${RECENT}`);

  el.append(
    section(
      'Totals by instrument',
      { 'data-testid': 'totals' },
      h(
        'p',
        { class: 'muted' },
        'Every unit ever issued is held (frozen included), claimed, retired, expired or cancelled.',
      ),
      table(
        [
          { label: 'Instrument', cell: (t) => h('strong', null, t.instrument) },
          { label: 'Unit', cell: (t) => UNITS[t.instrument] ?? '' },
          { label: 'Issued', num: true, cell: (t) => num(t.issued) },
          { label: 'Held', num: true, cell: (t) => num(t.held) },
          { label: 'of which frozen', num: true, cell: (t) => num(t.frozen) },
          { label: 'Claimed', num: true, cell: (t) => num(t.claimed) },
          { label: 'Retired', num: true, cell: (t) => num(t.retired) },
          { label: 'Expired', num: true, cell: (t) => num(t.expired) },
          { label: 'Cancelled', num: true, cell: (t) => num(t.cancelled) },
          { label: 'Issuances', num: true, cell: (t) => num(t.issuances) },
        ],
        totals.instruments,
      ),
    ),
    section(
      'Latest checkpoint',
      { 'data-testid': 'checkpoint' },
      facts([
        ['Origin', mono(cp.origin)],
        ['Tree size', `${num(cp.size)} entries`],
        ['Root', mono(base64Encode(cp.root))],
      ]),
      h(
        'details',
        null,
        h('summary', null, 'Signed note (C2SP)'),
        h('pre', { class: 'note' }, note),
      ),
      size > 0 &&
        h(
          'p',
          null,
          'Check it yourself: open an entry and press ',
          h('em', null, 'Verify in browser'),
          ' — e.g. ',
          link(`#/entry/${size - 1}`, `the latest entry #${size - 1}`),
          '.',
        ),
    ),
    section(
      'Recent entries',
      { 'data-testid': 'recent' },
      table(
        [
          { label: 'Entry', cell: (e) => entryLink(e.seq) },
          { label: 'Accepted', cell: (e) => time(e.accepted_ms) },
          { label: 'Type', cell: (e) => mono(e.tx?.type ?? '') },
          { label: 'Signer', cell: (e) => e.tx?.signer ?? '' },
        ],
        recent.entries.slice().reverse(),
      ),
    ),
    section('Parks', { 'data-testid': 'parks-card' }, parksList(parks)),
  );
}

// Park page: a park's years and, for one year, its inventory breakdown, green-power share,
// GEC claims, credit retirements, neutrality verdict per policy profile, Anhui evaluation, the
// national and other pass/fail evaluations and certification statements. Claims, retirements and statements are public; the inventory,
// neutrality and evaluation reports need a signed request (the park itself, or a registry,
// certifier or auditor account), and the page says what it hides without one.
import { ApiError, get, getAllParks, getPrivate, session } from './api.js';
import { parksList } from './registry.js';
import {
  badge,
  entryLink,
  facts,
  h,
  hidden,
  link,
  mono,
  num,
  problem,
  s,
  section,
  serialsLink,
  table,
} from './ui.js';

const CATEGORIES = [
  ['fuel_t', 'fuel', 'Fuel combustion'],
  ['conversion_t', 'conversion', 'Energy conversion'],
  ['electricity_t', 'electricity', 'Purchased electricity'],
  ['heat_t', 'heat', 'Purchased heat'],
  ['process_t', 'process', 'Industrial processes'],
];
const THRESHOLDS = [50, 80, 100];

// A private report: its JSON, null when nobody is signed in, or the error to show.
async function privately(target) {
  try {
    return await getPrivate(target);
  } catch (err) {
    if (err instanceof ApiError) return { error: err };
    throw err;
  }
}

function inventoryChart(rows) {
  const width = 720;
  const barH = 26;
  const labelW = 110;
  const max = Math.max(
    ...rows.map((r) => CATEGORIES.reduce((t, [k]) => t + Math.max(0, Number(r.totals[k])), 0)),
    1,
  );
  const scale = (width - labelW - 150) / max;
  const bars = rows.map((r, i) => {
    const y = 8 + i * (barH + 18);
    let x = labelW;
    const segments = CATEGORIES.map(([k, cls, label]) => {
      const w = Math.max(0, Number(r.totals[k])) * scale;
      const rect = s(
        'rect',
        { x, y, width: w.toFixed(2), height: barH, class: cls },
        s('title', null, `${label}: ${num(r.totals[k])} t CO₂`),
      );
      x += w;
      return rect;
    });
    return [
      s('text', { x: 0, y: y + barH / 2 + 4 }, r.label),
      s('rect', { x: labelW, y, width: width - labelW - 150, height: barH, class: 'track' }),
      segments,
      s('text', { x: x + 6, y: y + barH / 2 + 4 }, `${num(r.totals.park_t)} t`),
    ];
  });
  return s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${width} ${rows.length * (barH + 18) + 8}`,
      role: 'img',
      'aria-label': 'Emissions by category, stacked',
      'data-testid': 'inventory-chart',
    },
    bars,
  );
}

function inventorySection(report, statement) {
  // From the inventory report when signed in; otherwise as recorded in a public statement.
  const totals = report && !report.error ? report.result : statement?.statement?.emissions;
  const children = [];
  if (report?.error) children.push(problem(report.error));
  if (!totals) {
    if (!report) children.push(hidden('the inventory breakdown'));
    return section('Emissions inventory', { 'data-testid': 'inventory' }, children);
  }
  const rows = [
    { label: 'Accounted', totals: totals.accounted },
    { label: 'Gross', totals: totals.gross },
  ];
  if (report && !report.error) {
    children.push(
      h(
        'p',
        { class: 'muted' },
        'Accounted emissions count certificate-backed electricity covered by GEC claims as zero; gross counts all of it at the grid factor. From inventory entry ',
        entryLink(report.entry_seq),
        `, factor set ${report.result.factor_set.version}.`,
      ),
    );
  } else {
    children.push(
      h(
        'p',
        { class: 'muted' },
        'As recorded in the public certification statement ',
        mono(statement.id),
        ' (entry ',
        entryLink(statement.seq),
        ').',
      ),
      report ? null : hidden('the current inventory and its lines'),
    );
  }
  children.push(
    inventoryChart(rows),
    h(
      'div',
      { class: 'legend' },
      CATEGORIES.map(([, cls, label]) => h('span', { class: cls }, label)),
    ),
    table(
      [
        { label: 't CO₂', cell: (r) => r.label },
        ...CATEGORIES.map(([k, , label]) => ({ label, num: true, cell: (r) => num(r.totals[k]) })),
        { label: 'Total', num: true, cell: (r) => h('strong', null, num(r.totals.park_t)) },
      ],
      rows,
      { testid: 'inventory-table' },
    ),
  );
  return section('Emissions inventory', { 'data-testid': 'inventory' }, children);
}

function shareChart(percent) {
  const width = 720;
  const x0 = 10;
  const w = width - 2 * x0;
  const at = (p) => x0 + (w * Math.min(Math.max(p, 0), 100)) / 100;
  return s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${width} 70`,
      role: 'img',
      'aria-label': `Green power share ${percent} %`,
      'data-testid': 'green-chart',
    },
    s('rect', { x: x0, y: 10, width: w, height: 24, class: 'track' }),
    s('rect', { x: x0, y: 10, width: (at(percent) - x0).toFixed(2), height: 24, class: 'green' }),
    THRESHOLDS.map((t) => [
      s('line', {
        x1: at(t),
        x2: at(t),
        y1: 4,
        y2: 40,
        class: percent >= t ? 'threshold met' : 'threshold',
      }),
      s('text', { x: at(t) - (t === 100 ? 34 : 12), y: 58 }, `${t} %`),
    ]),
  );
}

function greenSection(report) {
  const title = 'Green-power share';
  if (!report)
    return section(
      title,
      { 'data-testid': 'green' },
      hidden('the electricity balance and green-power share'),
    );
  if (report.error) return section(title, { 'data-testid': 'green' }, problem(report.error));
  const e = report.result.electricity;
  const share = Number(e.green_share_percent);
  return section(
    title,
    { 'data-testid': 'green' },
    h(
      'p',
      null,
      h('span', { class: 'score', 'data-testid': 'green-share' }, `${e.green_share_percent} %`),
      ' of the park’s electricity consumption is green (direct non-fossil supply, on-site non-fossil and claimed certificates).',
    ),
    shareChart(share),
    h(
      'p',
      null,
      THRESHOLDS.map((t) => [
        badge(share >= t ? 'met' : 'unmet', `${t} % ${share >= t ? 'reached' : 'not reached'}`),
        ' ',
      ]),
    ),
    facts([
      ['Consumption', `${num(e.consumption_mwh)} MWh`],
      ['Green', `${num(e.green_mwh)} MWh`],
      [
        'Direct supply',
        `${num(e.direct_supply_mwh)} MWh (${e.direct_supply_share_percent} %, guideline ${e.direct_supply_guideline_percent} %)`,
      ],
      [
        'Certificate-backed import',
        `${num(e.certificate_backed_import_mwh)} MWh, of which covered by claims ${num(report.result.green_power_attribution.counted_mwh)} MWh`,
      ],
      ['Grid import', `${num(e.grid_import_mwh)} MWh`],
    ]),
  );
}

function claimsSection(c) {
  return section(
    'GEC claims',
    { 'data-testid': 'claims' },
    h(
      'p',
      null,
      `${num(c.claimed_mwh)} MWh of green electricity certificates claimed for ${c.year}.`,
    ),
    table(
      [
        { label: 'Claim', cell: (r) => mono(r.claim) },
        { label: 'Entry', cell: (r) => entryLink(r.seq) },
        { label: 'Serials', cell: (r) => serialsLink('GEC', r.first, r.serials) },
        { label: 'MWh', num: true, cell: (r) => num(r.mwh) },
        { label: 'Generator', cell: (r) => mono(r.generator) },
        { label: 'Technology', cell: (r) => r.technology },
        { label: 'Region', cell: (r) => r.region },
        { label: 'Generated', cell: (r) => r.generation_month },
      ],
      c.claims,
      { empty: 'No GEC claims for this year.', testid: 'claims-table' },
    ),
  );
}

function retirementsSection(r) {
  return section(
    'Credit retirements (注销)',
    { 'data-testid': 'retirements' },
    h(
      'p',
      null,
      `${num(r.retired_ccer)} t CCER and ${num(r.retired_cic)} t carbon inclusive credits retired for ${r.park}, reporting year ${r.year}.`,
    ),
    table(
      [
        { label: 'Retirement', cell: (x) => mono(x.retirement) },
        { label: 'Entry', cell: (x) => entryLink(x.seq) },
        { label: 'Serials', cell: (x) => serialsLink(x.instrument, x.first, x.serials) },
        { label: 't CO₂e', num: true, cell: (x) => num(x.quantity) },
        { label: 'Vintage', cell: (x) => x.vintage },
        { label: 'Project', cell: (x) => mono(x.project) },
        { label: 'Methodology', cell: (x) => x.methodology },
        { label: 'Purpose', cell: (x) => x.purpose },
        { label: 'Retired by', cell: (x) => x.retired_by },
        // Another account's retirement counts for the park only once the park accepted it
        // (docs/accounting.md §What counts).
        {
          label: 'Accepted by the park',
          cell: (x) => {
            if (x.retired_by === r.park) return 'own retirement';
            return x.accepted_seq ? entryLink(x.accepted_seq) : 'not accepted';
          },
        },
      ],
      r.retirements,
      { empty: 'No credits retired for this year.', testid: 'retirements-table' },
    ),
  );
}

function neutralitySection(results, statements) {
  const title = 'Neutrality verdict by policy profile';
  if (!results) {
    const recorded = statements.map((st) => [
      badge(st.verdict, st.verdict),
      ` under ${st.profile} in statement ${st.id}; `,
    ]);
    return section(
      title,
      { 'data-testid': 'neutrality' },
      recorded.length ? h('p', null, 'Recorded: ', recorded) : null,
      hidden('the neutrality check under each policy profile'),
    );
  }
  return section(
    title,
    { 'data-testid': 'neutrality' },
    table(
      [
        {
          label: 'Profile',
          cell: (r) => [
            h('strong', null, r.profile.id),
            h('div', { class: 'muted' }, r.profile.title),
          ],
        },
        {
          label: 'Verdict',
          cell: (r) => (r.error ? problem(r.error) : badge(r.n.verdict, r.n.verdict)),
        },
        { label: 'Accounted t', num: true, cell: (r) => (r.n ? num(r.n.accounted_t) : '') },
        {
          label: 'Cap t',
          num: true,
          cell: (r) =>
            r.n?.cap
              ? `${num(r.n.cap.cap_t)} (${r.n.cap.percent} % of ${r.n.cap.base})`
              : r.n
                ? 'none'
                : '',
        },
        { label: 'Credits counted t', num: true, cell: (r) => (r.n ? num(r.n.counted_t) : '') },
        { label: 'Net t', num: true, cell: (r) => (r.n ? num(r.n.net_t) : '') },
        {
          label: 'Reasons',
          cell: (r) => (r.n ? r.n.reasons.map((x) => h('div', null, x.message)) : ''),
        },
      ],
      results,
      { testid: 'neutrality-table' },
    ),
  );
}

function stars(n) {
  return h(
    'span',
    { class: 'stars', 'aria-label': `${n} stars` },
    [1, 2, 3, 4, 5].map((i) => h('span', { class: i <= n ? 'on' : 'off' }, '★')),
  );
}

function evaluationSection(report) {
  const title = 'Anhui evaluation';
  if (!report)
    return section(
      title,
      { 'data-testid': 'evaluation' },
      hidden('the Anhui 100-point evaluation'),
    );
  if (report.error) return section(title, { 'data-testid': 'evaluation' }, problem(report.error));
  const e = report.evaluation;
  return section(
    title,
    { 'data-testid': 'evaluation' },
    h(
      'p',
      null,
      h('span', { class: 'score', 'data-testid': 'anhui-score' }, num(e.total)),
      ' / 100  ',
      stars(e.stars),
      ` ${e.stars} star${e.stars === 1 ? '' : 's'}`,
    ),
    h('p', { class: 'muted' }, `${report.assessment}. Stars: ${e.star_rule}.`),
    h(
      'p',
      null,
      'Entry criteria: ',
      badge(
        report.entry_criteria.admitted ? 'met' : 'unmet',
        report.entry_criteria.admitted ? 'admitted' : 'not admitted',
      ),
    ),
    table(
      [
        { label: 'Group', cell: (g) => [g.name_en, ' ', h('span', { class: 'muted' }, g.name_zh)] },
        { label: 'Points', num: true, cell: (g) => `${num(g.points)} / ${num(g.max_points)}` },
      ],
      e.groups,
      { testid: 'evaluation-groups' },
    ),
  );
}

// The pass/fail schemes of the evaluation report (national-2025 and the others, docs/evaluations.md):
// every indicator with its value, threshold, verdict, source and reading.
function schemesSection(report) {
  const title = 'Zero-carbon park evaluations';
  const attrs = { 'data-testid': 'schemes' };
  if (!report) return section(title, attrs, hidden('the national 1 + 5 indicators'));
  if (report.error) return section(title, attrs, problem(report.error));
  const schemes = (report.evaluations || []).filter((e) => e.scoring === 'pass_fail');
  return section(
    title,
    attrs,
    schemes.map((e) =>
      h(
        'div',
        { 'data-testid': `scheme-${e.scheme.id}` },
        h(
          'p',
          null,
          h('strong', null, e.scheme.title),
          '  ',
          badge(e.verdict, e.verdict === 'pass' ? 'pass' : e.veto_failed ? 'fail (veto)' : 'fail'),
          e.tier && e.tier.id ? h('span', { class: 'muted' }, `  tier ${e.tier.name}`) : null,
        ),
        e.tier && e.tier.reading ? h('p', { class: 'muted' }, e.tier.reading) : null,
        table(
          [
            {
              label: 'Indicator',
              cell: (l) => [l.name_en, ' ', h('span', { class: 'muted' }, l.name_zh)],
            },
            { label: 'Value', cell: (l) => l.value },
            { label: 'Threshold', cell: (l) => l.rule },
            {
              label: 'Met',
              cell: (l) =>
                l.met === null ? badge('unmet', 'n/a') : badge(l.met ? 'met' : 'unmet', l.met ? 'yes' : 'no'),
            },
            {
              label: 'Source and reading',
              cell: (l) => h('span', { class: 'muted' }, `${l.source}. ${l.reading}`),
            },
          ],
          e.lines,
          { testid: `scheme-${e.scheme.id}-lines` },
        ),
      ),
    ),
  );
}

// What the ledger recorded about the park-year after the statement's tree size (the statement
// and its bundle rest on the facts as of then; docs/certification.md §Reports).
function sinceCell(st) {
  const since = st.since;
  if (!since) return '';
  const parts = [];
  if (st.superseded) {
    parts.push(badge('fail', 'superseded'), ` inventory corrected in entry ${since.inventory_superseded_by}`);
  }
  const later = [
    [since.claims?.length, 'claim'],
    [since.retirements?.length, 'retirement'],
    [since.acceptances?.length, 'acceptance'],
    [since.statements?.length, 'later statement'],
  ].filter(([n]) => n > 0);
  for (const [n, what] of later) parts.push(`${parts.length ? '; ' : ''}${n} ${what}${n > 1 ? 's' : ''}`);
  return h('span', { 'data-testid': 'statement-since' }, parts.length ? parts : 'nothing since');
}

function statementsSection(list) {
  return section(
    'Certification statements',
    { 'data-testid': 'statements' },
    table(
      [
        { label: 'Statement', cell: (st) => mono(st.id) },
        { label: 'Entry', cell: (st) => entryLink(st.seq) },
        { label: 'Certifier', cell: (st) => st.certifier },
        { label: 'Profile', cell: (st) => st.profile },
        { label: 'Verdict', cell: (st) => badge(st.verdict, st.verdict) },
        { label: 'Net t', num: true, cell: (st) => num(st.statement?.net_t) },
        { label: 'Claim', cell: (st) => st.statement?.claim ?? '' },
        { label: 'Since', cell: (st) => sinceCell(st) },
        {
          label: 'Bundle',
          cell: (st) => h('a', { href: `/v1/statements/${st.id}/bundle` }, 'JSON'),
        },
      ],
      list,
      { empty: 'No statement recorded for this year.', testid: 'statements-table' },
    ),
    h(
      'p',
      { class: 'muted' },
      'A bundle holds the statement with its entries, inclusion proofs and a signed checkpoint; ',
      mono('carbonledger verify-statement --bundle B --log-key log.pub'),
      ' checks it offline.',
    ),
  );
}

export async function renderParks(el) {
  el.append(h('h1', null, 'Parks'));
  const parks = await getAllParks();
  el.append(section('Industrial parks', {}, parksList(parks)));
}

export async function renderPark(el, id, year) {
  const parks = await getAllParks();
  const park = parks.find((p) => p.id === id);
  if (!park) throw new ApiError(404, { detail: `no park "${id}"`, reason: 'park.not_found' });
  year = year ? Number(year) : park.years[park.years.length - 1];
  el.append(
    h('h1', null, park.name || park.id),
    facts([
      ['Account', mono(park.id)],
      ['Region (GB/T 2260)', park.region],
    ]),
    h(
      'nav',
      { class: 'years', 'data-testid': 'years' },
      park.years.map((y) => link(`#/parks/${id}/${y}`, String(y))),
      park.years.length ? null : h('span', { class: 'muted' }, 'No reporting years yet.'),
    ),
  );
  for (const a of el.querySelectorAll('.years a'))
    a.classList.toggle('active', a.textContent === String(year));
  if (!year) return;
  const base = `/v1/parks/${id}/years/${year}`;
  const [claims, retirements, statements, inventory, evaluation, profiles] = await Promise.all([
    get(`${base}/claims`),
    get(`${base}/retirements`),
    get(`${base}/statements`),
    privately(`${base}/inventory`),
    privately(`${base}/evaluation`),
    session.signer ? get('/v1/profiles') : null,
  ]);
  let neutrality = null;
  if (profiles) {
    neutrality = await Promise.all(
      profiles.profiles.map(async (profile) => {
        const r = await privately(`${base}/neutrality?profile=${encodeURIComponent(profile.id)}`);
        return r.error ? { profile, error: r.error } : { profile, n: r.neutrality };
      }),
    );
  }
  const latest = statements.statements[statements.statements.length - 1];
  el.append(
    h('h2', { class: 'subject' }, `Reporting year ${year}`),
    inventorySection(inventory, latest),
    greenSection(inventory),
    claimsSection(claims),
    retirementsSection(retirements),
    neutralitySection(neutrality, statements.statements),
    evaluationSection(evaluation),
    schemesSection(evaluation),
    statementsSection(statements.statements),
  );
}

// Tableau de bord du cabinet: every company of the firm for a month (revenue, against N-1, days missing, days
// left open, unexplained differences, last sync), sortable; a click opens the company's monthly synthesis.
import { h, mount, field } from '../lib/dom.js';
import { api } from '../api.js';
import { go } from '../router.js';
import { cachedMe, companyOf, setSelection } from '../session.js';
import { todayIso, formatDateFr } from '../lib/dates.js';
import { fromWire } from '../cash.js';
import { localMoment } from '../screens/export.js';
import { percent, reportHash, monthLabel, shiftMonthText, sortRows } from './report-query.js';
import { eur } from './report-ui.js';

const COLUMNS = [
  { key: 'name', title: 'Société', value: (r) => r.name },
  { key: 'revenue', title: 'CA TTC', num: true, value: (r) => fromWire(r.revenue_ttc), text: (r) => eur(r.revenue_ttc) },
  { key: 'n1', title: 'CA N-1', num: true, value: (r) => fromWire(r.n1_revenue_ttc), text: (r) => eur(r.n1_revenue_ttc) },
  { key: 'gap', title: 'Écart N-1', num: true, value: (r) => r.vs_n1.pct_bp, text: (r) => percent(r.vs_n1.pct_bp) },
  { key: 'missing', title: 'Journées manquantes', num: true, value: (r) => r.days_missing },
  { key: 'late', title: 'Journées ouvertes en retard', num: true, value: (r) => r.open_days_late },
  { key: 'unexplained', title: 'Écarts non expliqués', num: true, value: (r) => r.unexplained_differences },
  { key: 'sync', title: 'Dernière synchronisation', value: (r) => r.last_sync, text: (r) => (r.last_sync ? localMoment(r.last_sync) : '—') },
];

export async function render(main, _params, ctx) {
  const query = ctx.route.query ?? {};
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(query.mois ?? '') ? query.mois : todayIso().slice(0, 7);
  let sort = { key: COLUMNS.some((c) => c.key === query.tri) ? query.tri : 'name', direction: query.ordre === 'desc' ? 'desc' : 'asc' };
  const hash = (patch) => {
    const q = new URLSearchParams({ mois: month, tri: sort.key, ordre: sort.direction, ...patch });
    return `#/cabinet?${q}`;
  };
  const body = h('div', { testid: 'firm-body' }, h('p', {}, 'Chargement…'));
  mount(main, h('h1', {}, 'Tableau de bord du cabinet'),
    h('div', { class: 'report-controls' },
      field('Mois', h('input', { type: 'month', value: month, testid: 'firm-month',
        onchange: (e) => { if (/^\d{4}-\d{2}$/.test(e.target.value)) go(hash({ mois: e.target.value })); } })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'button small', 'aria-label': 'Mois précédent', onclick: () => go(hash({ mois: shiftMonthText(month, -1) })) }, '‹'),
        h('button', { type: 'button', class: 'button small', 'aria-label': 'Mois suivant', onclick: () => go(hash({ mois: shiftMonthText(month, 1) })) }, '›'))),
    body);
  const [year, m] = month.split('-').map(Number);
  let data;
  try {
    data = await api.get(`/api/firm/reports/dashboard?year=${year}&month=${m}`);
  } catch (e) {
    mount(body, h('p', { class: 'form-error', role: 'alert' }, e.message));
    return null;
  }
  const me = await cachedMe();
  async function open(row) {
    const company = companyOf(me, row.company_id);
    await setSelection(row.company_id, company?.registers?.[0]?.id ?? null);
    ctx.engine?.request?.('selection');
    go(reportHash({ kind: 'mensuel', month, register: 'all', n1: 'date' }));
  }
  function draw() {
    const rows = sortRows(data.companies, sort.key, sort.direction, COLUMNS.find((c) => c.key === sort.key).value);
    const header = COLUMNS.map((c) => {
      const active = sort.key === c.key;
      return h('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : null },
        h('button', { type: 'button', class: 'sort-button', testid: `sort-${c.key}`, onclick: () => {
          sort = { key: c.key, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' };
          history.replaceState(null, '', hash({}));
          draw();
        } }, c.title, active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''));
    });
    const cell = (c, i, row) => {
      if (i === 0) {
        return h('th', { scope: 'row' }, h('button', {
          type: 'button', class: 'link-button', testid: 'open-company', onclick: () => open(row) }, row.name));
      }
      return h('td', { class: c.num ? 'num' : null }, c.text ? c.text(row) : String(c.value(row)));
    };
    const count = data.companies.length;
    mount(body,
      h('p', { class: 'lead' }, `${monthLabel(month)} — ${count} ${count > 1 ? 'sociétés' : 'société'}`
        + ` (du ${formatDateFr(data.start)} au ${formatDateFr(data.end)})`),
      h('div', { class: 'table-scroll' }, h('table', { class: 'report-table firm-table', testid: 'firm-table' },
        h('caption', {}, 'Sociétés du cabinet : cliquez sur une société pour ouvrir ses rapports.'),
        h('thead', {}, h('tr', {}, header)),
        h('tbody', {}, rows.map((row) => h('tr', { testid: 'firm-row' }, COLUMNS.map((c, i) => cell(c, i, row))))))));
  }
  draw();
  return null;
}

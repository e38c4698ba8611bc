// The state of the « Rapports » screens lives in the hash query (#/rapports/mensuel?mois=2026-11&caisse=3&n1=weekday):
// a link, the back button and a reload show the same report. Pure functions, tested in test/reports-query.test.js.

export const KINDS = [
  { value: 'mensuel', label: 'Synthèse mensuelle' },
  { value: 'journee', label: 'Journée' },
  { value: 'exercice', label: 'Exercice et comparaisons' },
  { value: 'credits', label: 'Crédits et bons cadeaux' },
];
export const N1_MODES = [
  { value: 'date', label: 'N-1 aux mêmes dates' },
  { value: 'weekday', label: 'N-1 aux mêmes jours de semaine' },
];
export const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre',
  'octobre', 'novembre', 'décembre'];

/** Short month names as French typography abbreviates them. */
export const MONTHS_SHORT = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

const pad = (n) => String(n).padStart(2, '0');

/** The report state from the route: kind, month (YYYY-MM), date, fiscal year, register ('all' or an id), N-1 mode. */
export function reportState(params, query, today) {
  const kind = KINDS.some((k) => k.value === params?.kind) ? params.kind : 'mensuel';
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(query?.mois ?? '') ? query.mois : today.slice(0, 7);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query?.jour ?? '') ? query.jour : today;
  const year = /^\d{4}$/.test(query?.exercice ?? '') ? Number(query.exercice) : null;
  const register = /^\d+$/.test(query?.caisse ?? '') ? Number(query.caisse) : 'all';
  const n1 = query?.n1 === 'weekday' ? 'weekday' : 'date';
  return { kind, month, date, year, register, n1 };
}

/** The hash of a report state (only what differs from the defaults is written). */
export function reportHash(state) {
  const q = new URLSearchParams();
  if (state.month) q.set('mois', state.month);
  if (state.kind === 'journee' && state.date) q.set('jour', state.date);
  if (state.kind === 'exercice' && state.year) q.set('exercice', String(state.year));
  if (state.register !== 'all' && state.register !== undefined) q.set('caisse', String(state.register));
  if (state.n1 === 'weekday') q.set('n1', 'weekday');
  const text = q.toString();
  return `#/rapports/${state.kind}${text ? `?${text}` : ''}`;
}

export function shiftMonthText(month, delta) {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** « novembre 2026 » */
export function monthLabel(month) {
  const [y, m] = month.split('-').map(Number);
  return `${MONTHS_FR[m - 1]} ${y}`;
}

/** The fiscal year (the year it starts in) that holds `month`. */
export function fiscalYearOf(month, startMonth) {
  const [y, m] = month.split('-').map(Number);
  return m >= startMonth ? y : y - 1;
}

/** Basis points → « +12,5 % » / « −3,0 % »; null → « — ». */
export function percent(bp) {
  if (bp === null || bp === undefined) return '—';
  const sign = bp > 0 ? '+' : bp < 0 ? '−' : '';
  const tenths = Math.round(Math.abs(bp) / 10);
  return `${sign}${Math.floor(tenths / 10)},${tenths % 10}\u00a0%`;
}

/** The API query string of a report state. */
export function apiQuery(state, extra = {}) {
  const [year, month] = state.month.split('-').map(Number);
  const q = new URLSearchParams({ year: String(year), month: String(month), ...extra });
  if (state.register !== 'all') q.set('register', String(state.register));
  return q;
}

/** Sort rows by a key (numbers, strings or wire amounts), ascending or descending. */
export function sortRows(rows, key, direction, value = (row) => row[key]) {
  const sign = direction === 'desc' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y, 'fr') : x < y ? -1 : 1) * sign;
  });
}

/** The first and last day (YYYY-MM-DD) of a month (YYYY-MM). */
export function monthRange(month) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${pad(last)}` };
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(iso) {
  const match = ISO_DAY.exec(iso ?? '');
  if (!match) return null;
  const [y, m, d] = match.slice(1).map(Number);
  const time = Date.UTC(y, m - 1, d);
  const back = new Date(time);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? time / 86_400_000 : null;
}

/** The journal period's errors by API field (`from`, `to`: the server's names and rules), or null when it is valid. */
export function journalRangeErrors(from, to) {
  const errors = {};
  const start = dayNumber(from);
  const end = dayNumber(to);
  if (start === null) errors.from = [from ? 'Date invalide.' : 'Indiquez le premier jour.'];
  if (end === null) errors.to = [to ? 'Date invalide.' : 'Indiquez le dernier jour.'];
  else if (start !== null && end < start) errors.to = ['La fin doit suivre le début.'];
  else if (start !== null && end - start >= 366) errors.to = ['Une année au plus.'];
  return Object.keys(errors).length ? errors : null;
}

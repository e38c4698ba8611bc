// Export comptable (admins and firm admins): the FEC or the CSV of a closed period, the archive of a
// fiscal year, and the history of exports with the SHA-256 of each file. Online only: the files are
// computed by the server from the sealed days.
import { h, mount, field, select, section } from '../lib/dom.js';
import { api, ApiError, defaultMessage } from '../api.js';
import { cachedMe, companyOf, getSelection } from '../session.js';
import { formatDateFr, todayIso } from '../lib/dates.js';
import { chartSection } from './export-chart.js';

const FORMATS = [
  { value: 'fec-tab', label: 'FEC — séparateur tabulation (norme)' },
  { value: 'fec-pipe', label: 'FEC — séparateur « | »' },
  { value: 'csv', label: 'CSV pour logiciel comptable (« ; », UTF-8)' },
];
const ENCODINGS = [
  { value: 'latin9', label: 'ISO-8859-15 (norme du FEC)' },
  { value: 'utf8', label: 'UTF-8' },
];
const FORMAT_NAMES = { fec: 'FEC', csv: 'CSV', archive: 'Archive' };
const ADMIN_ROLES = new Set(['admin', 'firm_admin']);

/** The previous calendar month of `today`: [first, last] as ISO dates. */
export function previousMonth(today) {
  const [y, m] = today.split('-').map(Number);
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return [`${year}-${mm}-01`, `${year}-${mm}-${String(last).padStart(2, '0')}`];
}

/** 'attachment; filename="732829320FEC20251231.txt"' → '732829320FEC20251231.txt' */
export function filenameOf(disposition, fallback) {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match ? match[1] : fallback;
}

export function exportUrl(companyId, { from, to, format, encoding }) {
  const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  if (format === 'csv') return `/api/companies/${companyId}/exports/csv?${period}`;
  const sep = format === 'fec-pipe' ? 'pipe' : 'tab';
  return `/api/companies/${companyId}/exports/fec?${period}&sep=${sep}&encoding=${encoding}`;
}

/** A French sentence for an export refusal: the open days of a 409, the fields of a 422. */
export function refusalText(error) {
  if (error.code === 'open_days' && Array.isArray(error.body?.open_days)) {
    const days = error.body.open_days.map((d) => `${formatDateFr(d.date)} (${d.register})`);
    const n = days.length;
    return `Export impossible : ${n === 1 ? 'une journée est encore ouverte' : `${n} journées sont encore ouvertes`}`
      + ` — ${days.slice(0, 10).join(', ')}${n > 10 ? '…' : ''}. Clôturez-les d’abord.`;
  }
  const details = Object.values(error.errors ?? {}).flat();
  return details.length ? `${error.message} ${details.join(' ')}` : error.message;
}

export async function download(url) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = { message: defaultMessage(response.status) };
    }
    throw new ApiError(response.status, body);
  }
  const blob = await response.blob();
  const name = filenameOf(response.headers.get('Content-Disposition'), 'export');
  const link = h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { name, sha256: response.headers.get('X-Export-Sha256') ?? '' };
}

/** A server UTC timestamp ('2026-12-02T01:18:00') as the shop's local « 02/12/2026 02:18 ». */
export function localMoment(iso) {
  const moment = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(moment.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(moment.getDate())}/${pad(moment.getMonth() + 1)}/${moment.getFullYear()} `
    + `${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

/** A 64-character hash with line-break opportunities every 16 characters (no CSS needed). */
function breakable(hash) {
  const parts = hash.match(/.{1,16}/g) ?? [hash];
  return parts.flatMap((part, i) => (i ? [h('wbr', {}), part] : [part]));
}

function historyTable(rows) {
  if (!rows.length) return h('p', { testid: 'export-history-empty' }, 'Aucun export pour l’instant.');
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Historique des exports (défilement horizontal)' },
    h('table', { class: 'export-history', testid: 'export-history' },
    h('caption', { class: 'visually-hidden' }, 'Exports réalisés, du plus récent au plus ancien'),
    h('thead', {}, h('tr', {}, ['Date', 'Par', 'Période', 'Format', 'Fichier', 'Empreinte SHA-256']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', { testid: `export-row-${r.id}` },
      h('td', {}, localMoment(r.created_at)),
      h('td', {}, r.user_name || '—'),
      h('td', {}, `du ${formatDateFr(r.period_start)} au ${formatDateFr(r.period_end)}`),
      h('td', {}, FORMAT_NAMES[r.format] ?? r.format),
      h('td', {}, r.filename),
      h('td', {}, h('code', { class: 'hash', testid: 'export-hash', title: r.sha256 }, breakable(r.sha256))))))));
}

export async function renderExport(main) {
  const selection = await getSelection();
  const me = await cachedMe();
  const company = companyOf(me, selection.company_id);
  if (!company || !ADMIN_ROLES.has(company.role)) {
    mount(main, h('h1', {}, 'Export comptable'),
      h('p', {}, 'Réservé aux administrateurs de la société et au cabinet.'));
    return null;
  }
  const [from, to] = previousMonth(todayIso());
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'wrap-anywhere', testid: 'export-status' });
  const historyBox = h('div', {});
  const inputs = {
    from: h('input', { type: 'date', value: from, required: true, testid: 'export-from' }),
    to: h('input', { type: 'date', value: to, required: true, testid: 'export-to' }),
    format: select(FORMATS, 'fec-tab', { testid: 'export-format' }),
    encoding: select(ENCODINGS, 'latin9', { testid: 'export-encoding' }),
    year: h('input', { type: 'number', min: 2000, max: 2100, value: Number(to.slice(0, 4)) - 1, testid: 'archive-year' }),
  };
  const encodingField = field('Encodage', inputs.encoding);
  inputs.format.addEventListener('change', () => { encodingField.hidden = inputs.format.value === 'csv'; });

  async function loadHistory() {
    try {
      mount(historyBox, historyTable(await api.get(`/api/companies/${company.id}/exports`)));
    } catch (error) {
      mount(historyBox, h('p', { class: 'error' }, error.message));
    }
  }

  async function run(url, button) {
    if (!navigator.onLine) {
      status.textContent = 'Hors ligne : l’export se fait depuis le serveur, reconnectez-vous.';
      return;
    }
    button.disabled = true;
    status.classList.remove('error');
    status.textContent = 'Préparation du fichier…';
    try {
      const file = await download(url);
      status.textContent = `Fichier ${file.name} téléchargé. Empreinte SHA-256 : ${file.sha256}`;
      await loadHistory();
    } catch (error) {
      status.classList.add('error');
      status.textContent = error instanceof ApiError ? refusalText(error) : 'Le téléchargement a échoué.';
    } finally {
      button.disabled = false;
    }
  }

  const exportButton = h('button', { type: 'submit', class: 'button primary', testid: 'export-download' }, 'Télécharger');
  const form = h('form', { testid: 'export-form', onsubmit: (event) => {
    event.preventDefault();
    if (inputs.to.value < inputs.from.value) {
      status.classList.add('error');
      status.textContent = 'La fin de la période doit suivre son début.';
      return;
    }
    run(exportUrl(company.id, { from: inputs.from.value, to: inputs.to.value, format: inputs.format.value,
      encoding: inputs.encoding.value }), exportButton);
  } },
  field('Du', inputs.from), field('Au', inputs.to), field('Format', inputs.format), encodingField, exportButton);

  const archiveButton = h('button', { type: 'button', class: 'button', testid: 'archive-download', onclick: () => run(
    `/api/companies/${company.id}/exports/archive?year=${encodeURIComponent(inputs.year.value)}`, archiveButton) },
  'Télécharger l’archive');

  mount(main,
    h('h1', {}, 'Export comptable'),
    h('p', {}, `${company.name} — écritures du journal de caisse, calculées depuis les journées clôturées.`),
    section('Écritures d’une période', { testid: 'export-period' }, form),
    section('Archive annuelle', { testid: 'export-archive' },
      h('p', {}, 'Journées scellées, clôtures, FEC et manifeste des empreintes de l’exercice.'),
      field('Exercice commençant en', inputs.year), archiveButton),
    status,
    section('Historique des exports', { testid: 'export-history-card' }, historyBox),
    chartSection(company.id));
  await loadHistory();
  return null;
}

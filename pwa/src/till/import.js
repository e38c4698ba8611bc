// CSV import of Z reports: read the file, preview its columns with their mapping (editable: a field, or a
// code of the company's table of correspondence; each change previews again), then a dry run or the import.
// The non-empty columns no mapping uses are listed (« colonnes ignorées »). Nothing is saved when a row is
// wrong unless « seulement les lignes valides » is ticked; the verdict comes per CSV line.
import { h, mount, field, select, section } from '../lib/dom.js';
import { api } from '../api.js';
import { formatDateFr } from '../lib/dates.js';
import { errorText } from './errors.js';

const FIELDS = [
  { value: 'ignore', label: 'Ignorer' }, { value: 'register', label: 'Caisse (numéro ou nom)' },
  { value: 'date', label: 'Date' }, { value: 'z_number', label: 'Numéro du ticket Z' },
  { value: 'sales_count', label: 'Nombre de ventes' },
];
const STATUS = { applied: 'Enregistré', duplicate: 'Déjà reçu', valid: 'Valide', error: 'Erreur', preview: '—' };

/** The file's text: UTF-8, or ISO-8859-15 when it is not valid UTF-8 (spreadsheets on Windows). */
export async function readText(file) {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('iso-8859-15').decode(bytes);
  }
}

const KIND_LABEL = { sales: 'Ventes', payments: 'Paiements' };

/** The select options of a column: the fields, then every code of the table of correspondence
 * (`codes` as GET …/till/codes answers, `names` {sales: {id: name}, payments: {id: name}}), and the column's
 * own code target when the table does not hold it (a header « ventes:GLACE »). */
export function targetOptions(target, codes = { sales: [], payments: [] }, names = { sales: {}, payments: {} }) {
  const ref = { sales: 'category_id', payments: 'method_id' };
  const options = [];
  for (const kind of ['sales', 'payments']) {
    for (const row of codes[kind] ?? []) {
      const name = names[kind]?.[row[ref[kind]]];
      options.push({ value: `${kind}:${row.code}`, label: `${KIND_LABEL[kind]} — code ${row.code}${name ? ` (${name})` : ''}` });
    }
  }
  const own = /^(sales|payments):(.+)$/.exec(target ?? '');
  if (own && !options.some((o) => o.value === target)) {
    options.push({ value: target, label: `${KIND_LABEL[own[1]]} — code ${own[2]} (absent de la table)` });
  }
  return [...FIELDS, ...options];
}

/** « Colonnes ignorées : Rayon pain, Especes. » or nothing. */
export function ignoredText(columns) {
  if (!columns?.length) return '';
  return `${columns.length > 1 ? 'Colonnes ignorées' : 'Colonne ignorée'} (valeurs non importées) : ${columns.join(', ')}.`;
}

/** A field of a refused row in French: 'sales.0.amount' → « Ventes, 1re colonne remplie, montant ». */
export function fieldLabel(name) {
  const simple = { date: 'Date', z_number: 'Numéro du Z', sales_count: 'Nombre de ventes', register: 'Caisse',
    sales: 'Ventes', payments: 'Paiements', report: 'Ticket Z' };
  const line = /^(sales|payments)\.(\d+)\.(code|amount)$/.exec(name);
  if (!line) return simple[name] ?? name;
  const n = Number(line[2]) + 1;
  return `${simple[line[1]]}, ${n === 1 ? '1re' : `${n}e`} colonne remplie, ${line[3] === 'code' ? 'code' : 'montant'}`;
}

/** A real calendar date AAAA-MM-JJ (« 2026-13-01 » is shown as typed, never as a French date). */
export function isIsoDate(text) {
  if (!/^\d{4}-\d\d-\d\d$/.test(text ?? '')) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/** « 1 ligne valide », « 3 lignes en erreur ». */
export function linesText(n, adjective) {
  const s = n > 1 ? 's' : '';
  return `${n} ligne${s} ${adjective}${adjective === 'valide' ? s : ''}`;
}

export function importSection(company) {
  const registers = company.registers ?? [];
  const file = h('input', { type: 'file', accept: '.csv,text/csv', testid: 'import-file' });
  const register = select([{ value: '', label: '— colonne « register » du fichier —' },
    ...registers.map((r) => ({ value: r.id, label: r.name }))], '', { testid: 'import-register' });
  const validOnly = h('input', { type: 'checkbox', testid: 'import-valid-only' });
  const mappingBox = h('div', { testid: 'import-mapping' });
  const result = h('div', { testid: 'import-result' });
  const ignoredNote = h('p', { class: 'notice', testid: 'import-ignored', hidden: true });
  let codes = { sales: [], payments: [] };
  let names = { sales: {}, payments: {} };
  const status = h('p', { role: 'status', 'aria-live': 'polite', testid: 'import-status' });
  let text = '';
  let mapping = {};

  function body(extra) {
    return { csv: text, mapping, register_id: register.value ? Number(register.value) : null, ...extra };
  }

  function drawIgnored(answer) {
    ignoredNote.textContent = ignoredText(answer.ignored);
    ignoredNote.hidden = !ignoredNote.textContent;
  }

  async function loadCodes() {
    try {
      const [table, categories, methods] = await Promise.all([
        api.get(`/api/companies/${company.id}/till/codes`), api.get(`/api/companies/${company.id}/categories`),
        api.get(`/api/companies/${company.id}/payment-methods`)]);
      codes = table;
      names = { sales: Object.fromEntries(categories.map((c) => [c.id, c.label])),
        payments: Object.fromEntries(methods.map((m) => [m.id, m.label])) };
    } catch {
      // Offline or refused: the fields and the file's own code columns are still offered.
    }
  }

  function drawMapping(preview) {
    mapping = { ...preview.mapping };
    drawIgnored(preview);
    mount(mappingBox, h('h3', {}, 'Colonnes du fichier'),
      h('table', { class: 'till-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Colonne'),
        h('th', { scope: 'col' }, 'Devient'))),
      h('tbody', {}, preview.columns.map((column, i) => {
        const choice = select(targetOptions(mapping[column], codes, names), mapping[column], {
          testid: `import-column-${i}`, 'aria-label': `Colonne « ${column} »` });
        choice.addEventListener('change', async () => {
          mapping[column] = choice.value;
          const again = await send('/preview', {}, choice);
          if (again) drawMapping(again);
        });
        return h('tr', {}, h('td', {}, column), h('td', {}, choice));
      }))));
    drawRows(preview, 'Aperçu des premières lignes');
  }

  function drawRows(answer, title) {
    const money = (lines) => (lines ?? []).map((l) => `${l.code} ${l.amount.replace('.', ',')}`).join(' · ');
    const detail = (row) => (row.status === 'preview' ? `${money(row.report?.sales)} / ${money(row.report?.payments)}`
      : Object.entries(row.errors ?? {}).map(([name, list]) => `${fieldLabel(name)} : ${list.join(' ')}`).join(' '));
    const date = (text) => (isIsoDate(text) ? formatDateFr(text) : text ?? '');
    const rows = answer.rows.map((row) => h('tr', { testid: `import-line-${row.line}`, 'data-status': row.status },
      h('td', {}, row.line), h('td', {}, date(row.date)), h('td', {}, row.z_number ?? ''),
      h('td', {}, STATUS[row.status] ?? row.status), h('td', {}, detail(row))));
    const head = h('thead', {}, h('tr', {}, ['Ligne', 'Date', 'Ticket Z', 'Résultat', 'Détail']
      .map((t) => h('th', { scope: 'col' }, t))));
    mount(result, h('h3', {}, title), h('div', { class: 'table-scroll' },
      h('table', { class: 'till-table', testid: 'import-rows' }, head, h('tbody', {}, rows))));
  }

  async function send(path, extra, button) {
    if (!text) {
      status.textContent = 'Choisissez d’abord un fichier CSV.';
      return null;
    }
    button.disabled = true;
    try {
      return await api.post(`/api/companies/${company.id}/till/imports${path}`, body(extra));
    } catch (error) {
      status.textContent = errorText(error);
      return null;
    } finally {
      button.disabled = false;
    }
  }

  async function run(dryRun, button) {
    const answer = await send('', { dry_run: dryRun, valid_only: validOnly.checked }, button);
    if (!answer) return;
    const counts = `${linesText(answer.valid, 'valide')}, ${linesText(answer.invalid, 'en erreur')}`;
    status.textContent = answer.saved ? `Import enregistré : ${counts}.`
      : `${dryRun ? 'Essai' : 'Rien n’est enregistré'} : ${counts}.`;
    drawIgnored(answer);
    drawRows(answer, dryRun ? 'Résultat de l’essai' : 'Résultat de l’import');
  }

  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    text = await readText(chosen);
    mapping = {};
    status.textContent = '';
    await loadCodes();
    const preview = await send('/preview', {}, file);
    if (preview) drawMapping(preview);
  });
  const dry = h('button', { type: 'button', class: 'button', testid: 'import-dry-run', onclick: () => run(true, dry) },
    'Essai (rien n’est enregistré)');
  const go = h('button', { type: 'button', class: 'button primary', testid: 'import-run', onclick: () => run(false, go) },
    'Importer');
  return section('Import de tickets Z (CSV)', { testid: 'till-import' },
    h('p', { class: 'hint' }, 'Une ligne par ticket Z : caisse, date, numéro du Z, nombre de ventes, puis une colonne '
      + 'par code (« sales:PAIN », « payments:ESP ») ; une colonne nommée autrement (« Rayon pain ») s’associe à un '
      + 'code de la correspondance dans « Colonnes du fichier ». Si une ligne est en erreur, rien n’est importé.'),
    field('Fichier CSV', file), field('Caisse par défaut', register), mappingBox, ignoredNote,
    h('label', { class: 'check' }, validOnly, ' Importer seulement les lignes valides'),
    h('div', { class: 'actions' }, dry, go), status, result);
}

// « Journal d’audit »: every recorded write of the company, newest first, filtered by date, user and entity.
import { h, field, select } from '../lib/dom.js';
import { api } from '../api.js';
import { header, base, dateTimeFr } from './context.js';
import { showError } from '../components/toast.js';
import { unavailable } from './offline.js';
import './backoffice.css';

// French names of the audit's entities; the filter lists the ones the company's audit holds (the server's
// `entities`), so a kind added later still appears (under its own name until it gets a label here).
export const ENTITIES = {
  day: 'Journée', flow: 'Mouvement', company: 'Société', register: 'Caisse', category: 'Catégorie de vente',
  payment_method: 'Moyen de paiement', customer: 'Client', supplier: 'Fournisseur', calendar_exception: 'Calendrier',
  register_calendar_exception: 'Calendrier d’une caisse', budget: 'Budget', membership: 'Membre', invitation: 'Invitation',
  user: 'Compte', rejection: 'Conflit', export: 'Export', period: 'Période clôturée', chart: 'Plan comptable',
  alert: 'Alerte', z_report: 'Ticket Z', till_codes: 'Codes des caisses', register_token: 'Jeton de caisse',
  token: 'Jeton d’accès personnel',
};
const entityLabel = (entity) => ENTITIES[entity] ?? entity;
const ACTIONS = {
  create: 'Création', update: 'Modification', delete: 'Suppression', remove: 'Retrait', close: 'Clôture', reopen: 'Réouverture',
  resolve: 'Arbitrage', reorder: 'Nouvel ordre', invite: 'Invitation', accept: 'Acceptation', decline: 'Refus', cancel: 'Annulation',
  activate: 'Activation', reset_code: 'Nouveau code', revoke: 'Révocation', export: 'Export',
};
const PER_PAGE = 50;

// The fields most audit rows name, in French (others keep the server's name).
const KEYS = {
  name: 'nom', label: 'libellé', address: 'adresse', siren: 'SIREN', account: 'compte', active: 'active', position: 'position',
  vat_bp: 'TVA (points de base)', revenue_account: 'compte de vente', expense_account: 'compte de charge', role: 'rôle',
  cash_tolerance_cents: 'tolérance (centimes)', weekly_pattern: 'semaine', status: 'état', z_number: 'n° de Z', email: 'e-mail',
  min_threshold_cents: 'seuil mini (centimes)', max_threshold_cents: 'seuil maxi (centimes)', kind: 'type', deposit_mode: 'mode de dépôt',
  date: 'date', is_open: 'ouvert', revoked_at: 'révoqué le', prefix: 'préfixe', legal_form: 'forme juridique', vat_regime: 'régime de TVA',
};

function summary(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? Object.entries(value).map(([k, v]) => `${KEYS[k] ?? k} : ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ') : String(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

export async function render(main) {
  const found = await header(main, 'Journal d’audit');
  if (!found) return;
  const { company } = found;
  if (!navigator.onLine) { // the audit trail is never synced to the device
    main.append(unavailable('le journal d’audit n’est consultable qu’avec une connexion.', 'audit-unavailable'));
    return;
  }
  let members = [];
  try {
    members = await api.get(`${base(company)}/members`);
  } catch (error) {
    showError(error);
  }
  // A firm admin is no member of the company: name them too when they are the reader.
  if (found.me?.user && !members.some((m) => m.user.id === found.me.user.id)) members.push({ user: found.me.user });
  const names = new Map(members.map((m) => [m.user.id, m.user.name || m.user.email]));
  const from = h('input', { type: 'date', testid: 'audit-from' });
  const to = h('input', { type: 'date', testid: 'audit-to' });
  const user = select([{ value: '', label: 'Tous' }, ...members.map((m) => ({ value: m.user.id, label: names.get(m.user.id) }))], '', { testid: 'audit-user' });
  const entity = select([{ value: '', label: 'Tous' }], '', { testid: 'audit-entity' });
  const known = new Set();
  const listEntities = (names = []) => {
    if (names.every((n) => known.has(n))) return;
    names.forEach((n) => known.add(n));
    const chosen = entity.value;
    const sorted = [...known].sort((a, b) => entityLabel(a).localeCompare(entityLabel(b), 'fr'));
    entity.replaceChildren(...select([{ value: '', label: 'Tous' }, ...sorted.map((value) => ({ value, label: entityLabel(value) }))], chosen).children);
  };
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: 'audit-error' });
  const tbody = h('tbody', {});
  const count = h('p', { class: 'hint', testid: 'audit-count', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'button small', onclick: () => load(page - 1) }, '← Plus récents');
  const next = h('button', { type: 'button', class: 'button small', onclick: () => load(page + 1) }, 'Plus anciens →');
  let page = 1;

  async function load(wanted = 1) {
    const query = new URLSearchParams({ page: String(wanted), per_page: String(PER_PAGE) });
    if (from.value) query.set('from', from.value);
    if (to.value) query.set('to', to.value);
    if (user.value) query.set('user_id', user.value);
    if (entity.value) query.set('entity', entity.value);
    let answer;
    try {
      answer = await api.get(`${base(company)}/audit?${query}`);
      error.hidden = true;
    } catch (e) {
      error.hidden = false;
      error.textContent = [e.message, ...Object.values(e.errors ?? {}).flat()].join(' ');
      return;
    }
    page = wanted;
    listEntities(answer.entities);
    const pages = Math.max(1, Math.ceil(answer.total / PER_PAGE));
    if (answer.total === 0) count.textContent = 'Aucune écriture.';
    else count.textContent = answer.total === 1 ? '1 écriture.' : `${answer.total} écritures · page ${page} sur ${pages}.`;
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    tbody.replaceChildren(...answer.items.map((row) => h('tr', { testid: 'audit-row', 'data-entity': row.entity },
      h('td', {}, dateTimeFr(row.at)),
      h('td', {}, row.user_id == null ? 'Système' : (names.get(row.user_id) ?? `Utilisateur n° ${row.user_id}`), row.device_id ? h('br') : null, row.device_id ? h('small', {}, `appareil ${row.device_id.slice(0, 8)}`) : null),
      h('td', {}, ACTIONS[row.action] ?? row.action),
      h('td', {}, `${entityLabel(row.entity)}${row.entity_id ? ` ${row.entity_id.length > 12 ? `${row.entity_id.slice(0, 8)}…` : row.entity_id}` : ''}`),
      h('td', { class: 'audit-values' }, row.before ? h('div', {}, 'Avant : ', summary(row.before)) : null, row.after ? h('div', {}, 'Après : ', summary(row.after)) : null))));
    if (!answer.items.length) tbody.append(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'Aucune écriture pour ces filtres.')));
  }
  const filters = h('form', { class: 'filters', testid: 'audit-filters', onsubmit: (e) => { e.preventDefault(); load(1); } },
    field('Du', from), field('Au', to), field('Utilisateur', user), field('Objet', entity),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'button primary', testid: 'audit-apply' }, 'Filtrer')));
  main.append(h('section', { class: 'card', 'aria-label': 'Filtres' }, filters, error),
    h('section', { class: 'card', 'aria-label': 'Écritures' }, count,
      h('table', { class: 'bo-table', testid: 'audit-table' },
        h('thead', {}, h('tr', {}, ['Date', 'Qui', 'Action', 'Objet', 'Détail'].map((t) => h('th', { scope: 'col' }, t)))), tbody),
      h('div', { class: 'actions' }, prev, next)));
  await load(1);
}

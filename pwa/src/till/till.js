// « Liaison caisse » (admins, issue 15): the tokens a cash-register software sends its Z reports with,
// the table of correspondence of its codes, and the CSV import of Z reports. Online only: every write
// is the server's (one unit of work, audited).
import { h, mount, field, select, section } from '../lib/dom.js';
import { api } from '../api.js';
import { errorText } from './errors.js';
import { cachedMe, companyOf, getSelection } from '../session.js';
import { localMoment } from '../screens/export.js';
import { codesSection } from './codes.js';
import { importSection } from './import.js';

const ADMIN_ROLES = new Set(['admin', 'firm_admin']);

function tokensSection(company) {
  const registers = company.registers ?? [];
  const status = h('p', { role: 'status', 'aria-live': 'polite', testid: 'token-status' });
  const shown = h('div', { testid: 'token-shown' });
  const list = h('div', {});
  const label = h('input', { type: 'text', maxlength: 100, required: true, testid: 'token-label',
    placeholder: 'Caisse du magasin' });
  const register = select(registers.map((r) => ({ value: r.id, label: r.name })), registers[0]?.id,
    { testid: 'token-register' });
  const registerName = (id) => registers.find((r) => r.id === id)?.name ?? `Caisse ${id}`;

  async function load() {
    try {
      const rows = await api.get(`/api/companies/${company.id}/till/tokens`);
      mount(list, rows.length ? tokenTable(rows) : h('p', { testid: 'tokens-empty' }, 'Aucun jeton pour l’instant.'));
    } catch (error) {
      mount(list, h('p', { class: 'error' }, errorText(error)));
    }
  }

  function tokenTable(rows) {
    return h('div', { class: 'table-scroll' }, h('table', { class: 'till-table', testid: 'tokens' },
      h('thead', {}, h('tr', {}, ['Libellé', 'Caisse', 'Début du jeton', 'Créé le', 'Dernière utilisation', 'État', '']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((row) => h('tr', { testid: `token-${row.id}` },
        h('td', {}, row.label), h('td', {}, registerName(row.register_id)), h('td', {}, h('code', {}, `${row.prefix}…`)),
        h('td', {}, localMoment(row.created_at)),
        h('td', { testid: 'token-last-used' }, row.last_used_at ? localMoment(row.last_used_at) : 'jamais'),
        h('td', {}, row.revoked_at ? `révoqué le ${localMoment(row.revoked_at)}` : 'actif'),
        h('td', {}, row.revoked_at ? null : h('button', { type: 'button', class: 'button small danger',
          testid: `token-revoke-${row.id}`, onclick: () => revoke(row) }, 'Révoquer')))))));
  }

  async function revoke(row) {
    if (!window.confirm(`Révoquer le jeton « ${row.label} » ? La caisse ne pourra plus envoyer de ticket Z.`)) return;
    try {
      await api.del(`/api/companies/${company.id}/till/tokens/${row.id}`);
      status.textContent = `Jeton « ${row.label} » révoqué.`;
    } catch (error) {
      status.textContent = errorText(error);
    }
    await load();
  }

  const form = h('form', { class: 'till-form', testid: 'token-form', onsubmit: async (event) => {
    event.preventDefault();
    if (!label.value.trim()) {
      status.textContent = 'Indiquez un libellé pour le jeton.';
      label.focus();
      return;
    }
    try {
      const row = await api.post(`/api/companies/${company.id}/till/tokens`,
        { label: label.value.trim(), register_id: Number(register.value) });
      label.value = '';
      status.textContent = '';
      const value = h('code', { class: 'token-value', testid: 'token-value' }, row.token);
      const copy = h('button', { type: 'button', class: 'button small', onclick: async () => {
        try {
          await navigator.clipboard.writeText(row.token);
          copy.textContent = 'Copié';
        } catch {
          copy.textContent = 'Copie impossible : sélectionnez le jeton';
        }
      } }, 'Copier');
      mount(shown, h('div', { class: 'notice' },
        h('p', {}, `Jeton de « ${row.label} » (${registerName(row.register_id)}) : copiez-le maintenant, `
          + 'il ne sera plus jamais affiché.'), h('p', {}, value, ' ', copy)));
      await load();
    } catch (error) {
      status.textContent = errorText(error);
    }
  } }, field('Libellé', label), field('Caisse', register),
  h('button', { type: 'submit', class: 'button primary', testid: 'token-create' }, 'Créer le jeton'));

  load();
  return section('Jetons de caisse', { testid: 'till-tokens' },
    h('p', { class: 'hint' }, 'Un jeton par caisse enregistreuse : il ne permet que l’envoi des tickets Z de sa caisse '
      + '(POST /api/registers/{caisse}/z-reports, voir la documentation de l’API).'),
    form, status, shown, list);
}

export async function render(main) {
  const me = await cachedMe();
  const company = companyOf(me, (await getSelection()).company_id);
  if (!company || !ADMIN_ROLES.has(company.role)) {
    mount(main, h('h1', {}, 'Liaison caisse'), h('p', {}, 'Réservé aux administrateurs de la société et au cabinet.'));
    return null;
  }
  const codes = h('div', {}, h('p', {}, 'Chargement…'));
  mount(main,
    h('h1', {}, 'Liaison caisse'),
    h('p', {}, `${company.name} — les tickets Z envoyés par votre logiciel de caisse remplissent la journée ; `
      + 'la caissière y ajoute les mouvements et le comptage, puis clôture comme d’habitude.'),
    tokensSection(company), codes, importSection(company));
  try {
    const [categories, methods] = await Promise.all([
      api.get(`/api/companies/${company.id}/categories`), api.get(`/api/companies/${company.id}/payment-methods`)]);
    codes.replaceWith(codesSection(company, categories, methods));
  } catch (error) {
    mount(codes, h('p', { class: 'error' }, errorText(error)));
  }
  return null;
}

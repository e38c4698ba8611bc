// « Sociétés » (firm admins): the firm's companies with their last closed day and the days left open past
// their date; « Nouvelle société » (#/societes/nouvelle) creates one with its registers, the trade's
// defaults and a first cashier's activation code.
import { h, mount } from '../lib/dom.js';
import { api } from '../api.js';
import { href, go } from '../router.js';
import { refreshMe, setSelection } from '../session.js';
import { formatDateFr, MONTHS_FR } from '../lib/dates.js';
import { buildForm } from './crud.js';
import { shownOnce } from './context.js';
import { showError } from '../components/toast.js';
import './backoffice.css';

const TRADES = [
  { value: 'bakery', label: 'Boulangerie, pâtisserie' }, { value: 'cafe', label: 'Café, restaurant' },
  { value: 'retail', label: 'Commerce de détail' }, { value: 'services', label: 'Services' },
];

async function open(companyId, to) {
  const me = await refreshMe();
  const company = me.companies.find((c) => c.id === companyId);
  await setSelection(companyId, company?.registers?.[0]?.id ?? null);
  go(to);
}

function openDaysText(n) {
  if (!n) return h('span', { class: 'pill pill-closed' }, 'Aucune');
  return h('span', { class: 'pill pill-missing' }, n === 1 ? '1 journée' : `${n} journées`);
}

async function list(main) {
  mount(main, h('h1', {}, 'Sociétés du cabinet'),
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: href.companies('nouvelle'), testid: 'new-company' }, 'Nouvelle société')));
  let rows;
  try {
    rows = await api.get('/api/firm/companies');
  } catch (error) {
    showError(error, 'La liste des sociétés n’a pas pu être chargée.');
    return;
  }
  main.append(h('section', { class: 'card', 'aria-label': 'Sociétés' }, h('table', { class: 'bo-table', testid: 'companies' },
    h('thead', {}, h('tr', {}, ['Société', 'SIREN', 'Caisses', 'Dernière journée clôturée', 'Journées ouvertes après leur date'].map((t) => h('th', { scope: 'col' }, t)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    h('tbody', {}, rows.map((c) => h('tr', { testid: `company-${c.id}` },
      h('th', { scope: 'row' }, c.name), h('td', {}, c.siren), h('td', { class: 'num' }, c.registers),
      h('td', { testid: 'last-closed' }, c.last_closed ? formatDateFr(c.last_closed) : 'Aucune'),
      h('td', { testid: 'open-past' }, openDaysText(c.open_past)),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button small', testid: `open-company-${c.id}`, 'aria-label': `Ouvrir ${c.name}`, onclick: () => open(c.id, href.home()) }, 'Ouvrir'),
        h('button', { type: 'button', class: 'button small', 'aria-label': `Réglages de ${c.name}`, onclick: () => open(c.id, href.settings()) }, 'Réglages'))))))));
}

function wizard(main) {
  const result = h('div', {});
  const form = buildForm({
    testid: 'wizard', submitLabel: 'Créer la société',
    fields: [
      { name: 'name', label: 'Raison sociale' },
      { name: 'siren', label: 'SIREN', hint: '9 chiffres' },
      { name: 'address', label: 'Adresse', wide: true },
      { name: 'legal_form', label: 'Forme juridique', type: 'select', options: [{ value: 'sole_trader', label: 'Entreprise individuelle' }, { value: 'company', label: 'Société' }] },
      { name: 'fiscal_year_start_month', label: 'Début de l’exercice', type: 'select', numeric: true, options: MONTHS_FR.map((m, i) => ({ value: i + 1, label: m })) },
      { name: 'trade', label: 'Métier', type: 'select', options: TRADES, hint: 'Pour les catégories de vente proposées (modifiables ensuite).' },
      { name: 'registers', label: 'Caisses', type: 'names', itemLabel: 'Nom de la caisse', addLabel: 'Ajouter une caisse' },
      { name: 'cashier.email', label: 'E-mail du premier caissier', hint: 'Facultatif : il recevra un code d’activation.' },
      { name: 'cashier.name', label: 'Nom du premier caissier' },
    ],
    values: { registers: [{ name: 'Magasin' }], legal_form: 'company', fiscal_year_start_month: 1, trade: 'bakery' },
    save: (v) => api.post('/api/firm/companies', {
      name: v.name, siren: v.siren.replace(/\s/g, ''), address: v.address, legal_form: v.legal_form,
      fiscal_year_start_month: v.fiscal_year_start_month, trade: v.trade, registers: v.registers,
      cashier: v['cashier.email'] ? { email: v['cashier.email'].trim(), name: v['cashier.name'] } : null,
    }),
    onSaved: (answer) => {
      form.el.hidden = true;
      const code = answer.activation_code
        ? shownOnce(`Code d’accès de ${answer.cashier_email}`, answer.activation_code,
          h('p', {}, '« Demandez vos codes d’accès » : remettez ce code au caissier. Sur l’écran de connexion, il choisit « J’ai un code d’activation ».'))
        : (answer.invited ? h('p', { class: 'notice' }, `${answer.cashier_email} a déjà un compte : une invitation l’attend.`) : null);
      mount(result, h('p', { class: 'ok', role: 'status', testid: 'wizard-done' }, `« ${answer.company.name} » est créée avec ses caisses, ses catégories de vente et ses moyens de paiement.`),
        code,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button primary', testid: 'wizard-settings', onclick: () => open(answer.company.id, href.settings()) }, 'Compléter les réglages'),
          h('a', { class: 'button', href: href.companies() }, 'Retour aux sociétés')));
    },
  });
  mount(main, h('h1', {}, 'Nouvelle société'),
    h('p', { class: 'lead' }, 'Les catégories de vente du métier, les moyens de paiement usuels et le plan comptable par défaut sont créés avec la société.'),
    h('section', { class: 'card', 'aria-label': 'Nouvelle société' }, form.el, result));
}

export async function render(main, params) {
  if (params.action === 'nouvelle') wizard(main);
  else await list(main);
}

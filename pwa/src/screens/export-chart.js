// Plan comptable (part of the export screen): the chart keys of the company, then the accounts stored
// on its categories, payment methods, suppliers and customers. Saved in one PUT; a refused account is
// shown next to its field (the server names it: accounts.cash, categories.0.account…). The output VAT
// account of each rate (accounts.vat_output_<bp>) has its own field under « TVA collectée par taux ».
import { h, mount, field, section } from '../lib/dom.js';
import { api, ApiError } from '../api.js';

const GROUPS = [
  ['Trésorerie', ['cash', 'cheque', 'card', 'meal_voucher', 'other', 'transfer', 'bank']],
  ['Ventes et TVA', ['sales', 'vat_output', 'vat_input']],
  ['Clients, bons et trop-perçus', ['customer_credit', 'refund', 'gift_voucher', 'voucher_expired', 'overpayment']],
  ['Dépenses, écarts et apports', ['expense', 'shortage', 'surplus', 'owner']],
  ['Journal', ['journal_code', 'journal_label']],
];
const ENTITIES = [
  ['categories', 'Compte de ventes par classification'],
  ['methods', 'Compte de trésorerie par moyen de paiement'],
  ['suppliers', 'Compte de charges par fournisseur'],
  ['customers', 'Compte auxiliaire par client (crédit client détaillé)'],
];

const FALLBACK = { categories: 'sales', suppliers: 'expense', customers: 'customer_credit' };

/** 550 → « 5,5 % » */
function ratePercent(bp) {
  return `${(bp / 100).toLocaleString('fr-FR', { maximumFractionDigits: 2 })} %`;
}

/** One output VAT account per rate the categories use (empty: vat_output + the rate, shown in grey). */
function vatRates(chart) {
  const rates = chart.vat_rates ?? [];
  if (!rates.length) return [];
  return h('fieldset', { testid: 'chart-vat-rates' },
    h('legend', {}, 'TVA collectée par taux'),
    rates.map((rate) => field(`TVA collectée à ${ratePercent(rate.vat_bp)}`,
      accountInput(`accounts.${rate.key}`, rate.account, rate.default))));
}

function accountInput(path, value, placeholder) {
  const isText = path === 'accounts.journal_label';
  return h('input', {
    type: 'text', value: value ?? '', placeholder: placeholder ?? '', 'data-path': path, testid: `chart-${path}`,
    inputmode: isText || path === 'accounts.journal_code' ? 'text' : 'numeric', autocomplete: 'off',
    maxlength: isText ? 100 : 20, class: 'account',
  });
}

function showErrors(form, errors) {
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.parentElement.querySelector('.field-error')?.remove();
  }
  let first = null;
  for (const [path, messages] of Object.entries(errors)) {
    const input = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    input.parentElement.append(h('p', { class: 'field-error error', role: 'alert' }, messages.join(' ')));
    first = first ?? input;
  }
  first?.focus();
}

function body(form, chart) {
  const accounts = {};
  for (const input of form.querySelectorAll('[data-path^="accounts."]')) {
    const key = input.dataset.path.slice('accounts.'.length);
    const value = input.value.trim() || chart.defaults[key];
    if (value) accounts[key] = value; // an empty per-rate VAT account: left out, the derived default applies
  }
  const out = { accounts };
  for (const [name] of ENTITIES) {
    out[name] = chart[name].map((row, i) => {
      const input = form.querySelector(`[data-path="${name}.${i}.account"]`);
      return { id: row.id, account: input.value.trim() };
    });
  }
  return out;
}

function draw(box, companyId, chart, status) {
  const groups = GROUPS.map(([title, keys]) => h('fieldset', {},
    h('legend', {}, title),
    keys.map((key) => field(chart.labels[key] ?? key,
      accountInput(`accounts.${key}`, chart.accounts[key], chart.defaults[key])))));
  const entities = ENTITIES.filter(([name]) => chart[name].length).map(([name, title]) => h('fieldset', {},
    h('legend', {}, title),
    chart[name].map((row, i) => field(row.label,
      accountInput(`${name}.${i}.account`, row.account, row.default ?? chart.accounts[FALLBACK[name]])))));
  const save = h('button', { type: 'submit', class: 'button primary', testid: 'chart-save' }, 'Enregistrer le plan comptable');
  const form = h('form', { testid: 'chart-form', onsubmit: async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      const saved = await api.put(`/api/companies/${companyId}/chart`, body(form, chart));
      status.className = '';
      status.textContent = 'Plan comptable enregistré. Les journées déjà clôturées gardent le plan de leur clôture.';
      draw(box, companyId, saved, status);
    } catch (error) {
      status.className = 'error';
      status.textContent = error.message;
      if (error instanceof ApiError) showErrors(form, error.errors);
    } finally {
      save.disabled = false;
    }
  } },
  h('p', { class: 'hint' }, 'Numéros de compte du PCG : chiffres uniquement, classes 1 à 7. '
    + 'Un champ vide reprend le compte par défaut indiqué en grisé.'),
  groups.slice(0, 2), vatRates(chart), groups.slice(2), entities, save);
  mount(box, form);
}

/** The « Plan comptable » card; loads the chart when opened. */
export function chartSection(companyId) {
  const status = h('p', { role: 'status', 'aria-live': 'polite', testid: 'chart-status' });
  const box = h('div', {}, h('p', {}, 'Chargement…'));
  const details = h('details', { testid: 'chart-details' }, h('summary', {}, 'Afficher et modifier le plan comptable'), box);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      draw(box, companyId, await api.get(`/api/companies/${companyId}/chart`), status);
    } catch (error) {
      loaded = false;
      mount(box, h('p', { class: 'error' }, error.message));
    }
  });
  return section('Plan comptable', { testid: 'export-chart' }, details, status);
}

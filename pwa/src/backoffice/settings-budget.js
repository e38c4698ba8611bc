// Réglages › Budget: the year's 12 monthly revenue targets, each with the previous year's revenue beside it
// (closed days only), saved in one call.
import { h, mount, field, select } from '../lib/dom.js';
import { api } from '../api.js';
import { money, fromWire } from '../cash.js';
import { buildForm } from './crud.js';
import { base } from './context.js';
import { showError } from '../components/toast.js';
import { isOfflineFailure, unavailable } from './offline.js';
import { MONTHS_FR, todayIso } from '../lib/dates.js';

const cents = (wire) => {
  try {
    return fromWire(wire);
  } catch {
    return 0;
  }
};

export function budgetSection(body, company) {
  const thisYear = Number(todayIso().slice(0, 4));
  const years = [thisYear - 1, thisYear, thisYear + 1];
  const chooser = select(years.map((y) => ({ value: y, label: String(y) })), thisYear, { testid: 'budget-year' });
  const slot = h('div', {});
  async function show(year) {
    let budget;
    let previous;
    try {
      [budget, previous] = await Promise.all([api.get(`${base(company)}/budgets/${year}`), api.get(`${base(company)}/budgets/${year - 1}/revenue`)]);
    } catch (error) {
      if (isOfflineFailure(error)) mount(slot, unavailable('le budget n’est pas gardé sur cet appareil.', 'budget-unavailable'));
      else showError(error, 'Le budget n’a pas pu être chargé.');
      return;
    }
    const amounts = new Map(budget.months.map((m) => [m.month, m.amount]));
    const before = new Map(previous.months.map((m) => [m.month, m.amount]));
    const totalBefore = previous.months.reduce((sum, m) => sum + cents(m.amount), 0);
    const fields = MONTHS_FR.map((name, i) => ({
      name: `months.${i}`, type: 'money', testid: `budget-${i + 1}`,
      label: `${name} ${year}`,
    }));
    const layout = (controls) => h('table', { class: 'bo-table budget-table', testid: 'budget-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, `Budget ${year}`), h('th', { scope: 'col', class: 'num' }, `CA ${year - 1}`))),
      h('tbody', {}, controls.map(([, c], i) => h('tr', {}, h('td', {}, c.el),
        h('td', { class: 'num', testid: `previous-${i + 1}` }, money(cents(before.get(i + 1) ?? '0.00')))))));
    const values = Object.fromEntries(MONTHS_FR.map((_, i) => [`months.${i}`, amounts.get(i + 1) ?? null]));
    const total = h('p', { testid: 'budget-totals' });
    const showTotals = (months) => {
      const sum = months.reduce((s, m) => s + cents(m.amount), 0);
      total.textContent = `Budget ${year} : ${money(sum)} · CA ${year - 1} (journées clôturées) : ${money(totalBefore)}`;
    };
    showTotals(budget.months);
    const form = buildForm({
      fields, values, layout, testid: 'budget-form',
      save: (data) => api.put(`${base(company)}/budgets/${year}`, {
        months: MONTHS_FR.map((_, i) => ({ month: i + 1, amount: data[`months.${i}`] ?? '0.00' })),
      }),
      onSaved: (answer) => showTotals(answer.months),
    });
    form.el.classList.add('budget-grid');
    mount(slot, total, form.el);
  }
  chooser.addEventListener('change', () => show(Number(chooser.value)));
  body.append(h('p', { class: 'hint' }, 'Le chiffre d’affaires TTC de l’année précédente est calculé sur les journées clôturées.'),
    field('Année', chooser, { cls: 'narrow-field' }), slot);
  show(thisYear);
}

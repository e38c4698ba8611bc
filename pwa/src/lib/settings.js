// Read the company's settings out of the rebased view (replica entities), in display order. Only the fields
// documented by schema/pull-<entity>.schema.json are read.

function rows(view, entity) {
  return [...(view.entities[entity]?.values() ?? [])];
}

const byPosition = (a, b) => a.position - b.position || a.id - b.id;
const byName = (a, b) => a.name.localeCompare(b.name, 'fr');
const isActive = (row) => row.active !== false;

export function company(view, companyId) {
  return view.entities.company?.get(String(companyId)) ?? null;
}

export function register(view, registerId) {
  return view.entities.register?.get(String(registerId)) ?? null;
}

/** Sales categories (« Classification ») in the Z ticket's order. */
export function categories(view) {
  return rows(view, 'category').filter(isActive).sort(byPosition);
}

export function methods(view) {
  return rows(view, 'payment_method').filter(isActive).sort(byPosition);
}

/** Methods with a drawer balance (cash, cheques…): opening, solde théorique, count. */
export function manualMethods(view) {
  return methods(view).filter((m) => m.deposit_mode === 'manual');
}

export function suppliers(view) {
  return rows(view, 'supplier').filter(isActive).sort(byName);
}

export function customers(view) {
  return rows(view, 'customer').filter(isActive).sort(byName);
}

/** The replica's calendar entities (one: the company's, see lib/calendar.js). */
export function calendarRows(view) {
  return rows(view, 'calendar');
}

export function methodLabel(view, methodId) {
  const found = view.entities.payment_method?.get(String(methodId));
  return found?.label ?? `Moyen ${methodId}`;
}

export function categoryLabel(view, categoryId) {
  const found = view.entities.category?.get(String(categoryId));
  return found?.label ?? `Classification ${categoryId}`;
}

/** Options of the company that show extra sections in the day entry. */
export function options(companyRow) {
  const c = companyRow ?? {};
  return {
    expenses: Boolean(c.opt_cash_expenses),
    transfers: Boolean(c.opt_transfers),
    credit: Boolean(c.opt_customer_credit),
    creditMode: c.credit_mode === 'lump' ? 'lump' : 'detailed',
    vouchers: Boolean(c.opt_gift_vouchers),
    overpayments: Boolean(c.opt_overpayments),
  };
}

export const VAT_RATES = [
  { value: 2000, label: '20 %' },
  { value: 1000, label: '10 %' },
  { value: 550, label: '5,5 %' },
  { value: 210, label: '2,1 %' },
  { value: 0, label: '0 %' },
];

export function vatLabel(bp) {
  return VAT_RATES.find((r) => r.value === Number(bp))?.label ?? `${(Number(bp) / 100).toLocaleString('fr-FR')} %`;
}

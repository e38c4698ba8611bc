// From the rebased view to the domain's day input `{settings, previous_counts, day}` (cents),
// the JSON shape of schema/vectors/day/*.json. Pure; the wire parser is passed in.

const LIST_FIELDS = { sales: 'category_id', payments: 'method_id', opening: 'method_id', counts: 'method_id' };
const FLOW_FIELDS = ['id', 'kind', 'method_id', 'to_method_id', 'customer_id', 'supplier_id', 'code',
  'voids', 'corrects', 'vat_bp', 'account', 'label', 'reason', 'owner'];

function lines(list, ref, parseWire) {
  const out = [];
  for (const line of list ?? []) {
    if (line == null || line.amount === undefined || line.amount === null || line.amount === '') continue;
    out.push({ [ref]: line[ref], amount: parseWire(line.amount) });
  }
  return out;
}

export function flowInput(flow, parseWire) {
  const out = {};
  for (const key of FLOW_FIELDS) if (flow[key] !== undefined && flow[key] !== null && flow[key] !== '') out[key] = flow[key];
  if (flow.amount !== undefined && flow.amount !== null) out.amount = parseWire(flow.amount);
  return out;
}

/**
 * Counted closing of the previous day of this register (the carried opening), as
 * {method_id: cents}: the most recent earlier day that has counts.
 */
export function previousCounts(days, registerId, date, parseWire) {
  let best = null;
  for (const day of days) {
    if (day.register_id !== registerId || day.date >= date || !(day.counts ?? []).length) continue;
    if (!best || day.date > best.date) best = day;
  }
  const out = {};
  for (const line of best?.counts ?? []) {
    if (line.amount !== undefined && line.amount !== null) out[String(line.method_id)] = parseWire(line.amount);
  }
  return out;
}

/**
 * @param a {{header, flows, categories, methods, customers, suppliers, company, register,
 *            previous: Object, openingDay: boolean}}
 */
export function buildDayInput(a, parseWire) {
  const company = a.company ?? {};
  const register = a.register ?? {};
  const money = (value) => (value === undefined || value === null || value === '' ? undefined : parseWire(value));
  const settings = {
    categories: a.categories.map((c) => ({ id: c.id, vat_bp: c.vat_bp, position: c.position ?? 0, label: c.label ?? '' })),
    methods: a.methods.map((m) => ({ id: m.id, kind: m.kind, deposit_mode: m.deposit_mode ?? 'automatic', label: m.label ?? '' })),
    customers: (a.customers ?? []).map((c) => ({ id: c.id, label: c.name ?? '' })),
    suppliers: (a.suppliers ?? []).map((s) => ({ id: s.id, label: s.name ?? '', vat_bp: s.vat_bp ?? null })),
    tolerance: money(company.cash_tolerance) ?? 0,
    options: {
      opt_customer_credit: Boolean(company.opt_customer_credit),
      credit_mode: company.credit_mode === 'lump' ? 'lump' : 'detailed',
      opt_gift_vouchers: Boolean(company.opt_gift_vouchers),
      opt_cash_expenses: Boolean(company.opt_cash_expenses),
      opt_transfers: Boolean(company.opt_transfers),
      opt_overpayments: Boolean(company.opt_overpayments),
    },
    opening_day: a.openingDay !== false,
  };
  const min = money(register.min_threshold);
  const max = money(register.max_threshold);
  if (min !== undefined) settings.min_threshold = min;
  if (max !== undefined) settings.max_threshold = max;
  const known = new Set(a.methods.map((m) => String(m.id)));
  const previous = {};
  for (const [id, cents] of Object.entries(a.previous ?? {})) if (known.has(id)) previous[id] = cents;
  const header = a.header ?? {};
  const day = {
    date: header.date,
    z_number: header.z_number ?? '',
    sales_count: Number.isInteger(header.sales_count) ? header.sales_count : 0,
    comment: header.comment ?? '',
    flows: (a.flows ?? []).map((f) => flowInput(f, parseWire)),
  };
  for (const [key, ref] of Object.entries(LIST_FIELDS)) day[key] = lines(header[key], ref, parseWire);
  return { settings, previous_counts: previous, day };
}

/** The amount of one line of a header list (wire string) or null. */
export function lineAmount(list, ref, id) {
  const line = (list ?? []).find((l) => String(l[ref]) === String(id));
  return line && line.amount !== undefined && line.amount !== null && line.amount !== '' ? line.amount : null;
}

/** A header list with the line of `id` set to `amount` (null removes it); other lines kept in order. */
export function withLine(list, ref, id, amount, extra = {}) {
  const rest = (list ?? []).filter((l) => String(l[ref]) !== String(id));
  if (amount === null || amount === undefined || amount === '') return rest;
  const existing = (list ?? []).findIndex((l) => String(l[ref]) === String(id));
  const line = { [ref]: id, amount, ...extra };
  if (existing < 0) return [...rest, line];
  const out = [...list];
  out[existing] = line;
  return out;
}

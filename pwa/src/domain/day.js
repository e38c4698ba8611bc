// The cash day: reading its input and computing what follows. Twin of domain/inputs.py + domain/day.py.
// Invariants (see domain/day.py): amounts are integer cents; a void and what it voids count for
// nothing; for each manual method expected = opening + Σ contributions, and EFFECTS lists every
// flow kind, even those that move no drawer; automatic methods only report takings.
// Results are plain objects in the JSON shape of schema/vectors/day/*.json "expected".

import { DomainError } from './money.js';
import { divRoundHalfAway, splitTtc, vatLines } from './vat.js';

export class InputError extends DomainError {}

export const FLOW_KINDS = ['cash_in', 'cash_out', 'expense', 'deposit', 'transfer', 'credit_granted',
  'credit_settled', 'refund', 'voucher_sold', 'voucher_redeemed', 'voucher_expired', 'overpayment', 'void'];
export const METHOD_KINDS = ['cash', 'cheque', 'card', 'meal_voucher', 'gift_voucher', 'customer_credit', 'other'];
export const EFFECTS = {
  cash_in: ['cash_in', 1], cash_out: ['cash_out', -1], expense: ['expense', -1], deposit: ['deposit', -1],
  transfer: ['transfer_out', -1], // and ['transfer_in', +1] on to_method_id
  credit_granted: null, credit_settled: ['credit_settled', 1], refund: ['refund', -1],
  voucher_sold: ['voucher_sold', 1], voucher_redeemed: null, voucher_expired: null,
  overpayment: ['overpayment', 1], void: null,
};
export const CONTRIBUTIONS = ['payments', 'credit_settled', 'voucher_sold', 'cash_in', 'cash_out', 'expense',
  'refund', 'deposit', 'transfer_in', 'transfer_out', 'overpayment'];

/** Server ints (numerically) before client strings. Strings compare by UTF-16 unit, as Python
 * compares code points: the two agree outside the astral planes, which ids and codes never use. */
export function idCompare(a, b) {
  const ai = typeof a === 'number';
  const bi = typeof b === 'number';
  if (ai !== bi) return ai ? -1 : 1;
  if (ai) return a - b;
  return a < b ? -1 : a > b ? 1 : 0;
}

const REQ = Symbol('required');
const SPECS = {
  category: [['id', 'id', REQ], ['vat_bp', 'int', REQ], ['position', 'int', 0], ['label', 'str', ''],
    ['account', 'str', null]],
  method: [['id', 'id', REQ], ['kind', 'str', REQ], ['deposit_mode', 'str', 'automatic'], ['label', 'str', ''],
    ['account', 'str', null]],
  party: [['id', 'id', REQ], ['label', 'str', ''], ['account', 'str', null], ['vat_bp', 'int', null]],
  options: [['opt_customer_credit', 'bool', false], ['credit_mode', 'str', 'detailed'],
    ['opt_gift_vouchers', 'bool', false], ['opt_cash_expenses', 'bool', false], ['opt_transfers', 'bool', false],
    ['opt_overpayments', 'bool', false]],
  flow: [['id', 'str', REQ], ['kind', 'str', REQ], ['amount', 'int', 0], ['method_id', 'id', null],
    ['to_method_id', 'id', null], ['customer_id', 'id', null], ['supplier_id', 'id', null], ['code', 'str', null],
    ['voids', 'str', null], ['corrects', 'str', null], ['vat_bp', 'int', null], ['account', 'str', null],
    ['label', 'str', ''], ['reason', 'str', ''], ['owner', 'bool', false], ['slip_number', 'str', null],
    ['cheque_count', 'int', null]],
  day: [['date', 'str', null], ['z_number', 'str', ''], ['sales_count', 'int', 0], ['comment', 'str', '']],
};

function typed(value, type, key, where) {
  const ok = type === 'id' ? Number.isInteger(value) || typeof value === 'string'
    : type === 'int' ? Number.isInteger(value) : typeof value === (type === 'str' ? 'string' : 'boolean');
  if (!ok) throw new InputError(`${where} : champ « ${key} » invalide.`, key);
  return value;
}

const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

function build(spec, obj, where, fixed = {}) {
  if (!isObject(obj)) throw new InputError(`${where} : un objet est attendu.`);
  const out = { ...fixed };
  for (const [key, type, fallback] of spec) {
    if (key in fixed) continue;
    const value = obj[key];
    if (value !== undefined && value !== null) out[key] = typed(value, type, key, where);
    else if (fallback === REQ) throw new InputError(`${where} : champ « ${key} » manquant.`, key);
    else out[key] = fallback;
  }
  return out;
}

/** obj[key]: a list of JSON objects (absent or null → empty). */
function objects(obj, key, where) {
  const items = obj[key] || [];
  if (!Array.isArray(items) || !items.every(isObject)) {
    throw new InputError(`${where} : « ${key} » doit être une liste d’objets.`, key);
  }
  return items;
}

function lines(obj, key) {
  const ref = key === 'sales' ? 'category_id' : 'method_id';
  return objects(obj, key, 'journée')
    .map((x) => ({ ref: typed(x[ref], 'id', ref, key), amount: typed(x.amount, 'int', 'amount', key) }));
}

function object(obj, key) {
  const value = obj[key] || {};
  if (!isObject(value)) throw new InputError(`« ${key} » doit être un objet.`, key);
  return value;
}

const many = (obj, key, spec, where) => objects(obj, key, 'réglages').map((x) => build(spec, x, where));

/** {settings, previous_counts, day} (JSON shape, cents) → the normalized input; throws InputError. */
export function normalizeDayInput(raw) {
  const s = object(raw, 'settings');
  const settings = {
    categories: many(s, 'categories', SPECS.category, 'classification'),
    methods: many(s, 'methods', SPECS.method, 'moyen de paiement'),
    customers: many(s, 'customers', SPECS.party, 'client'),
    suppliers: many(s, 'suppliers', SPECS.party, 'fournisseur'),
    options: build(SPECS.options, object(s, 'options'), 'options'),
    min_threshold: s.min_threshold == null ? null : typed(s.min_threshold, 'int', 'min_threshold', 'réglages'),
    max_threshold: s.max_threshold == null ? null : typed(s.max_threshold, 'int', 'max_threshold', 'réglages'),
    tolerance: typed(s.tolerance ?? 0, 'int', 'tolerance', 'réglages'),
    opening_day: typed(s.opening_day ?? true, 'bool', 'opening_day', 'réglages'),
  };
  for (const m of settings.methods) {
    if (!METHOD_KINDS.includes(m.kind) || !['manual', 'automatic'].includes(m.deposit_mode)) {
      throw new InputError(`Moyen de paiement ${m.id} : type ou mode de dépôt inconnu.`, 'kind');
    }
  }
  if (!['detailed', 'lump'].includes(settings.options.credit_mode)) {
    throw new InputError('Mode de crédit client inconnu (detailed ou lump).', 'credit_mode');
  }
  const d = object(raw, 'day');
  const flows = objects(d, 'flows', 'journée').map((x) => build(SPECS.flow, x, 'mouvement'));
  for (const f of flows) {
    if (!FLOW_KINDS.includes(f.kind)) throw new InputError(`Type de mouvement inconnu : ${f.kind}.`, 'kind');
  }
  const day = build(SPECS.day, d, 'journée', { flows, sales: lines(d, 'sales'), payments: lines(d, 'payments'),
    opening: lines(d, 'opening'), counts: lines(d, 'counts') });
  const previous = new Map();
  for (const [key, cents] of Object.entries(object(raw, 'previous_counts'))) {
    const known = settings.methods.find((m) => String(m.id) === key);
    if (!known || !Number.isInteger(cents)) {
      throw new InputError(`Comptage précédent illisible pour le moyen ${key}.`, 'previous_counts');
    }
    previous.set(known.id, cents);
  }
  const previousDays = objects(raw, 'previous_days', 'jours précédents').map((x) => {
    if (typeof x.date !== 'string' || x.date.length !== 10) {
      throw new InputError('Jour précédent : date illisible.', 'previous_days');
    }
    const counts = lines(x, 'counts');
    for (const line of counts) methodOf(settings, line.ref, `comptage du ${x.date}`);
    return { date: x.date, open: typed(x.open ?? false, 'bool', 'open', 'jour précédent'), counts };
  });
  const codes = raw.voucher_codes ?? null;
  if (codes !== null && (!isObject(codes) || !Object.values(codes).every((v) => v === 'open' || v === 'used'))) {
    throw new InputError('« voucher_codes » : état de bon illisible (open ou used).', 'voucher_codes');
  }
  return { settings, day, previous: carriedCounts(previous, previousDays), previous_days: previousDays,
    voucher_codes: codes, normalized: true };
}

/** The opening carried per method: its latest count among the earlier days (open uncounted days
 * skipped), overridden by previous_counts. Twin of DayInput.carried_counts. */
function carriedCounts(previous, previousDays) {
  const carried = new Map();
  for (const earlier of [...previousDays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    for (const line of earlier.counts) carried.set(line.ref, line.amount);
  }
  for (const [key, value] of previous) carried.set(key, value);
  return carried;
}

/** ISO dates of the register's earlier days still open, oldest first. */
export function earlierOpenDays(input) {
  return input.previous_days.filter((d) => d.open && d.date !== input.day.date).map((d) => d.date).sort();
}

export function findMethod(settings, id) {
  return settings.methods.find((m) => m.id === id && id !== null) ?? null;
}

export function methodOf(settings, id, where) {
  const found = findMethod(settings, id);
  if (!found) throw new InputError(`Moyen de paiement inconnu (${where}) : ${id}.`, 'method_id');
  return found;
}

/** The flows that count: neither a void nor voided by one. */
export function activeFlows(flows) {
  const voided = new Set(flows.filter((f) => f.kind === 'void').map((f) => f.voids));
  return flows.filter((f) => f.kind !== 'void' && !voided.has(f.id));
}

/** The method a flow moves (an expense without one is paid in cash). */
export function flowMethod(flow, input) {
  if (flow.method_id === null && flow.kind === 'expense') {
    const cash = input.settings.methods.find((m) => m.kind === 'cash');
    if (cash) return cash;
  }
  return methodOf(input.settings, flow.method_id, `flux ${flow.id}`);
}

const amountOf = (list, methodId) => {
  const found = list.filter((l) => l.ref === methodId);
  return found.length ? found.reduce((a, l) => a + l.amount, 0) : null;
};
const sum = (xs) => xs.reduce((a, x) => a + x, 0);

function byKey(pairs) {
  const sums = new Map();
  for (const [key, amount] of pairs) if (key !== null) sums.set(key, (sums.get(key) ?? 0) + amount);
  return [...sums.entries()].sort((a, b) => idCompare(a[0], b[0]));
}

function balance(input, method, contributions) {
  const out = { method_id: method.id, kind: method.kind, contributions };
  if (method.deposit_mode !== 'manual') return { ...out, takings: sum(Object.values(contributions)) };
  const carried = input.previous.has(method.id) ? input.previous.get(method.id) : null;
  const typedOpening = amountOf(input.day.opening, method.id);
  const opening = typedOpening ?? carried ?? 0;
  const expected = opening + sum(Object.values(contributions));
  const counted = amountOf(input.day.counts, method.id);
  return { ...out, carried_opening: carried, typed_opening: typedOpening, opening,
    opening_difference: typedOpening !== null && carried !== null ? typedOpening - carried : 0,
    expected, counted, difference: counted === null ? null : counted - expected };
}

/** Totals, VAT per rate, balance of every method, outstanding credit and vouchers. */
export function computeDay(raw) {
  const input = raw.normalized ? raw : normalizeDayInput(raw);
  const { settings, day } = input;
  if (day.sales_count < 0) throw new InputError('Le nombre de ventes ne peut pas être négatif.', 'sales_count');
  const cats = day.sales.map((sale) => {
    const category = settings.categories.find((c) => c.id === sale.ref);
    if (!category) throw new InputError(`Classification inconnue : ${sale.ref}.`, 'sales');
    const [ht, vat] = splitTtc(sale.amount, category.vat_bp);
    return { category, ttc: sale.amount, ht, vat };
  }).sort((a, b) => a.category.position - b.category.position || idCompare(a.category.id, b.category.id));
  const ttc = sum(cats.map((c) => c.ttc));
  const flows = activeFlows(day.flows);
  const per = new Map(settings.methods.map((m) => [m.id, Object.fromEntries(CONTRIBUTIONS.map((k) => [k, 0]))]));
  for (const line of day.payments) per.get(methodOf(settings, line.ref, 'paiements').id).payments += line.amount;
  for (const flow of flows) {
    const effect = EFFECTS[flow.kind];
    if (effect === null) continue;
    per.get(flowMethod(flow, input).id)[effect[0]] += effect[1] * flow.amount;
    if (flow.kind === 'transfer') {
      per.get(methodOf(settings, flow.to_method_id, `flux ${flow.id}`).id).transfer_in += flow.amount;
    }
  }
  const balances = settings.methods.map((m) => balance(input, m, per.get(m.id)));
  const detailed = settings.options.credit_mode === 'detailed';
  const total = (kind) => sum(flows.filter((f) => f.kind === kind).map((f) => f.amount));
  const lump = sum(balances.filter((b) => b.kind === 'customer_credit').map((b) => b.contributions.payments));
  const granted = detailed ? total('credit_granted') : lump;
  const settled = total('credit_settled');
  const sold = total('voucher_sold');
  const redeemed = total('voucher_redeemed');
  const expired = total('voucher_expired');
  const used = redeemed + expired;
  const creditMoves = flows.filter((f) => f.kind === 'credit_granted' || f.kind === 'credit_settled')
    .map((f) => [f.customer_id, (f.kind === 'credit_granted' ? 1 : -1) * f.amount]);
  const voucherMoves = flows.filter((f) => f.kind.startsWith('voucher_'))
    .map((f) => [f.code, (f.kind === 'voucher_sold' ? 1 : -1) * f.amount]);
  return {
    totals: { sales_ttc: ttc, sales_ht: sum(cats.map((c) => c.ht)), sales_vat: sum(cats.map((c) => c.vat)),
      payments_total: sum(day.payments.map((p) => p.amount)), sales_count: day.sales_count,
      average_basket: day.sales_count ? divRoundHalfAway(ttc, day.sales_count) : null },
    categories: cats.map((c) => ({ category_id: c.category.id, vat_bp: c.category.vat_bp, ttc: c.ttc, ht: c.ht,
      vat: c.vat })),
    vat_lines: vatLines(cats.map((c) => [c.category.vat_bp, c.ttc])),
    methods: balances.filter((b) => 'expected' in b),
    automatic: balances.filter((b) => 'takings' in b),
    credit: { granted, settled, delta: granted - settled,
      by_customer: detailed ? byKey(creditMoves).map(([k, v]) => ({ customer_id: k, delta: v })) : [] },
    vouchers: { sold, redeemed, expired, used, delta: sold - used,
      by_code: byKey(voucherMoves).map(([k, v]) => ({ code: k, delta: v })) },
  };
}

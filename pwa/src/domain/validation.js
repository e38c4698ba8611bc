// Validation of what a person typed: header fields and movements, on the wire (money as strings).
// Twin of domain/validation.py (read its theory of operation); schema/vectors/validation/*.json hold
// both to the same verdicts and the same French messages. The PWA calls it before it queues a
// mutation, the server before it stores one: an entry the server would refuse is never queued.
//
// validateHeader(fields, ctx) and validateFlow(flow, ctx) return {path: [message_fr]}, {} when valid.
// ctx (all optional): settings (raw JSON settings, cents), existing ({flow id: kind} of the day),
// today and date (ISO, shop-local) for the calendar's reach.

import { FLOW_KINDS, findMethod, normalizeDayInput } from './day.js';
import { MoneyError, parseWire } from './money.js';
import { isBlank, label } from './controls.js';

export const MAX_INT = 2 ** 53;
export const MAX_COUNT = 2 ** 31 - 1; // counts are stored in SQL INTEGER columns
export const MAX_LINES = 200;
export const MAX_GRID = 30;
export const TEXT_LIMITS = { z_number: 40, comment: 2000, reason: 500, label: 200, account: 20, slip_number: 40,
  code: 40 };
const MULTILINE = new Set(['comment', 'reason']);
export const HEADER_FIELDS = ['z_number', 'sales_count', 'sales', 'payments', 'opening', 'counts', 'comment'];
const LINE_KEYS = ['sales', 'payments', 'opening', 'counts'];
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const GRID_KEY_RE = /^[1-9][0-9]{0,5}$/;
// With the u flag a surrogate pair is one code point: the class only matches lone surrogates.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\uD800-\uDFFF]/u;
const CONTROL_ONE_LINE = /[\x00-\x1f\x7f-\x9f\uD800-\uDFFF]/u;

const COMMON_FIELDS = ['id', 'kind', 'corrects', 'reason', 'label'];
export const KIND_FIELDS = {
  cash_in: ['amount', 'method_id', 'owner'],
  cash_out: ['amount', 'method_id'],
  expense: ['amount', 'method_id', 'supplier_id', 'vat_bp', 'account'],
  deposit: ['amount', 'method_id', 'slip_number', 'cheque_count'],
  transfer: ['amount', 'method_id', 'to_method_id'],
  credit_granted: ['amount', 'customer_id'],
  credit_settled: ['amount', 'method_id', 'customer_id'],
  refund: ['amount', 'method_id', 'customer_id'],
  voucher_sold: ['amount', 'code', 'method_id'],
  voucher_redeemed: ['amount', 'code'],
  voucher_expired: ['amount', 'code'],
  overpayment: ['amount', 'method_id'],
  void: ['voids'],
};
export const REQUIRED = {
  cash_in: ['amount', 'method_id'], cash_out: ['amount', 'method_id'], expense: ['amount', 'vat_bp'],
  deposit: ['amount', 'method_id'], transfer: ['amount', 'method_id', 'to_method_id'],
  credit_granted: ['amount'], credit_settled: ['amount', 'method_id'], refund: ['amount', 'method_id'],
  voucher_sold: ['amount', 'code', 'method_id'], voucher_redeemed: ['amount', 'code'],
  voucher_expired: ['amount', 'code'], overpayment: ['amount', 'method_id'], void: ['voids'],
};
export const FLOW_FIELD_TYPES = {
  id: 'uuid', kind: 'kind', amount: 'money', method_id: 'id', to_method_id: 'id', reason: 'text', owner: 'bool',
  supplier_id: 'id', label: 'text', vat_bp: 'vat_bp', account: 'text', slip_number: 'text', cheque_count: 'count',
  customer_id: 'id', code: 'text', voids: 'uuid', corrects: 'uuid',
};
export const OPTION_OF_KIND = { expense: 'opt_cash_expenses', transfer: 'opt_transfers',
  credit_granted: 'opt_customer_credit', credit_settled: 'opt_customer_credit', voucher_sold: 'opt_gift_vouchers',
  voucher_redeemed: 'opt_gift_vouchers', voucher_expired: 'opt_gift_vouchers', overpayment: 'opt_overpayments' };
const DRAWER_OPTIONS = { gift_voucher: 'opt_gift_vouchers', customer_credit: 'opt_customer_credit' };
const NEEDS_METHOD = ['cash_in', 'cash_out', 'deposit', 'transfer', 'credit_settled', 'refund', 'voucher_sold',
  'overpayment'];
const NOT_A_DRAWER = ['gift_voucher', 'customer_credit'];

export const UNKNOWN_CATEGORY = 'Classification inconnue pour cette société.';
export const UNKNOWN_METHOD = 'Moyen de paiement inconnu pour cette société.';
export const UNKNOWN_REFERENCE = 'Référence inconnue pour cette société.';
const DISABLED_PREFIX = 'Désactivé pour cette société (option ';
const REQUIRED_MESSAGE = 'Champ obligatoire.';
const NOT_APPLICABLE = 'Champ non applicable à ce type de mouvement.';
const UNKNOWN_FIELD = 'Champ inconnu ou non modifiable.';
const POSITIVE = 'Le montant doit être supérieur à zéro.';
const NOT_NEGATIVE = 'Le montant ne peut pas être négatif.';
const NONZERO = 'Un trop-perçu ne peut pas être nul.';
const BAD_TEXT = 'Texte invalide : caractère de contrôle ou caractère incomplet.';

/** An entry the rules refuse: `errors` is {path: [message_fr]}, as on the server. */
export class ValidationError extends Error {
  constructor(errors) {
    const [path, messages] = Object.entries(errors)[0] ?? ['', ['Saisie invalide.']];
    super(path ? `${path} : ${messages[0]}` : messages[0]);
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

const add = (errors, path, message) => { (errors[path] ??= []).push(message); };
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A JSON integer within [low, high]. */
export const isInt = (value, low = 0, high = MAX_INT) => Number.isInteger(value) && value >= low && value <= high;

/** Why `value` is not acceptable text for `field`, else null (lengths in code points, as in Python). */
export function textError(value, field) {
  const limit = TEXT_LIMITS[field];
  if (typeof value !== 'string') return 'Texte attendu.';
  if (value.length > limit && (value.length > 2 * limit || [...value].length > limit)) {
    return `${limit} caractères au plus.`;
  }
  return (MULTILINE.has(field) ? CONTROL : CONTROL_ONE_LINE).test(value) ? BAD_TEXT : null;
}

/** [cents, null] or [null, message]. sign: 'positive', 'nonzero', 'not_negative' or 'any'. */
export function moneyError(value, sign) {
  let cents;
  try {
    cents = parseWire(value);
  } catch (error) {
    if (error instanceof MoneyError) return [null, error.messageFr];
    throw error;
  }
  if (sign === 'positive' && cents <= 0) return [null, POSITIVE];
  if (sign === 'nonzero' && cents === 0) return [null, NONZERO];
  if (sign === 'not_negative' && cents < 0) return [null, NOT_NEGATIVE];
  return [cents, null];
}

function ordinal(text) {
  if (typeof text !== 'string' || !DATE_RE.test(text)) return null;
  const [year, month, day] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8))];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > lengths[month - 1]) return null;
  const y = year - 1;
  const before = lengths.slice(0, month - 1).reduce((a, b) => a + b, 0);
  return y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + before + day;
}

export const isDate = (value) => ordinal(value) !== null;

/** A day is entered at most until tomorrow and closed no earlier than its own date (shop-local). */
export function validateDate(date, today, { closing = false } = {}) {
  const on = ordinal(date);
  const now = ordinal(today);
  if (on === null || now === null) return { date: ['Date AAAA-MM-JJ attendue.'] };
  if (closing && on > now) return { date: ['Une journée ne se clôture pas avant sa date.'] };
  if (on > now + 1) return { date: ['Date trop lointaine : une journée ne se saisit pas au-delà de demain.'] };
  return {};
}

/** A weekly pattern (the company's, or a register's own): seven booleans, Monday first, at least one open day. */
export function validateWeeklyPattern(pattern) {
  if (!Array.isArray(pattern) || pattern.length !== 7 || !pattern.every((day) => typeof day === 'boolean')) {
    return { weekly_pattern: ['Sept jours attendus (lundi → dimanche), vrai ou faux.'] };
  }
  if (!pattern.some(Boolean)) return { weekly_pattern: ['Cochez au moins un jour d’ouverture.'] };
  return {};
}

const reach = (ctx) => (ctx.today != null && ctx.date != null ? validateDate(ctx.date, ctx.today) : {});
const empty = (errors) => Object.keys(errors).length === 0;
const settingsOf = (ctx) => (ctx.settings == null ? null : normalizeDayInput({ settings: ctx.settings }).settings);

// -- header ------------------------------------------------------------------------------------------

/** Header fields of a `day.put` (wire form) → French messages by path; {} when valid. */
export function validateHeader(fields, ctx = {}) {
  if (!isObject(fields)) return { fields: ['Un objet est attendu.'] };
  if (Object.keys(fields).length === 0) return { fields: ['Aucun champ à modifier.'] };
  const errors = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!HEADER_FIELDS.includes(key)) add(errors, key, UNKNOWN_FIELD);
    else if (key === 'z_number' || key === 'comment') {
      const message = textError(value, key);
      if (message !== null) add(errors, key, message);
    } else if (key === 'sales_count') {
      if (!isInt(value, 0, MAX_COUNT)) add(errors, key, 'Entier ≥ 0 attendu.');
    } else linesValues(key, value, errors);
  }
  if (!empty(errors)) return errors;
  const settings = settingsOf(ctx);
  if (settings !== null) for (const key of LINE_KEYS) linesReferences(key, fields[key] ?? [], settings, errors);
  return empty(errors) ? reach(ctx) : errors;
}

function linesValues(key, items, errors) {
  const ref = key === 'sales' ? 'category_id' : 'method_id';
  const allowed = [ref, 'amount', ...(key === 'counts' ? ['grid'] : [])];
  if (!Array.isArray(items)) { add(errors, key, 'Une liste est attendue.'); return; }
  if (items.length > MAX_LINES) { add(errors, key, `${MAX_LINES} lignes au plus.`); return; }
  items.forEach((item, i) => {
    const path = `${key}[${i}]`;
    if (!isObject(item)) { add(errors, path, 'Un objet est attendu.'); return; }
    for (const name of Object.keys(item).filter((k) => !allowed.includes(k)).sort()) {
      add(errors, `${path}.${name}`, UNKNOWN_FIELD);
    }
    for (const name of [ref, 'amount'].filter((k) => !has(item, k)).sort()) add(errors, `${path}.${name}`, REQUIRED_MESSAGE);
    if (has(item, ref) && !isInt(item[ref], 1)) add(errors, `${path}.${ref}`, 'Identifiant entier ≥ 1 attendu.');
    if (has(item, 'amount')) {
      const [, message] = moneyError(item.amount, 'not_negative');
      if (message !== null) add(errors, `${path}.amount`, message);
    }
    if (has(item, 'grid')) {
      const message = gridError(item.grid);
      if (message !== null) add(errors, `${path}.grid`, message);
    }
  });
}

function gridError(grid) {
  if (!isObject(grid) || Object.keys(grid).length > MAX_GRID) {
    return `Billetage attendu : {coupure en centimes : quantité}, ${MAX_GRID} coupures au plus.`;
  }
  for (const [value, count] of Object.entries(grid)) {
    if (!GRID_KEY_RE.test(value)) return 'Coupure invalide (valeur en centimes).';
    if (!isInt(count, 0, 10 ** 6)) return 'Quantité invalide (entier de 0 à 1 000 000).';
  }
  return null;
}

function linesReferences(key, items, settings, errors) {
  const ref = key === 'sales' ? 'category_id' : 'method_id';
  const seen = new Set();
  items.forEach((item, i) => {
    const path = `${key}[${i}]`;
    const target = item[ref];
    const method = key !== 'sales' ? findMethod(settings, target) : null;
    if (key === 'sales' && !settings.categories.some((c) => c.id === target)) {
      add(errors, `${path}.${ref}`, UNKNOWN_CATEGORY);
      return;
    }
    if (key !== 'sales' && method === null) { add(errors, `${path}.${ref}`, UNKNOWN_METHOD); return; }
    if (seen.has(target)) add(errors, `${path}.${ref}`, 'Ligne en double : une seule ligne par référence.');
    seen.add(target);
    if (method === null) return;
    if ((key === 'opening' || key === 'counts') && method.deposit_mode !== 'manual') {
      add(errors, `${path}.method_id`, 'Seuls les moyens à dépôt manuel (espèces, chèques) se comptent.');
    }
    const option = key === 'payments' ? DRAWER_OPTIONS[method.kind] : undefined;
    if (option && !settings.options[option]) add(errors, `${path}.method_id`, `${DISABLED_PREFIX}${option}).`);
    const grid = item.grid;
    const filled = isObject(grid) && Object.keys(grid).length > 0;
    if (filled && method.kind !== 'cash') add(errors, `${path}.grid`, 'Le billetage ne concerne que les espèces.');
    else if (filled && Object.entries(grid).reduce((sum, [v, n]) => sum + Number(v) * n, 0) !== parseWire(item.amount)) {
      add(errors, `${path}.grid`, 'Le billetage ne correspond pas au montant compté.');
    }
  });
}

// -- flows -------------------------------------------------------------------------------------------

/** A movement of a `flow.add` (wire form) → French messages by field; {} when valid. */
export function validateFlow(flow, ctx = {}) {
  if (!isObject(flow)) return { flow: ['Un objet est attendu.'] };
  const errors = flowValues(flow);
  const settings = settingsOf(ctx);
  if (!empty(errors) || settings === null) return empty(errors) ? reach(ctx) : errors;
  const option = checkFlowAllowed(flow.kind, settings.options);
  if (option !== null) return { kind: [`${DISABLED_PREFIX}${option}).`] };
  const lists = { method_id: settings.methods, to_method_id: settings.methods, customer_id: settings.customers,
    supplier_id: settings.suppliers };
  const unknown = {};
  for (const [key, known] of Object.entries(lists)) {
    if (flow[key] != null && !known.some((x) => x.id === flow[key])) unknown[key] = [UNKNOWN_REFERENCE];
  }
  if (!empty(unknown)) return unknown;
  const cents = has(flow, 'amount') ? { ...flow, amount: parseWire(flow.amount) } : { ...flow };
  const found = flowRules(cents, settings, { existing: ctx.existing ?? null, normalized: true });
  return empty(found) ? reach(ctx) : found;
}

/** Step 1 for a movement: types, ranges, text, money and its sign, the kind's field table. */
export function flowValues(flow) {
  const errors = {};
  const kind = flow.kind;
  for (const key of ['id', 'kind']) if (!has(flow, key)) add(errors, key, REQUIRED_MESSAGE);
  const knownKind = typeof kind === 'string' && has(KIND_FIELDS, kind);
  if (has(flow, 'kind') && !knownKind) add(errors, 'kind', 'Type de mouvement inconnu.');
  for (const [key, value] of Object.entries(flow)) {
    const shape = FLOW_FIELD_TYPES[key];
    if (shape === undefined || !has(FLOW_FIELD_TYPES, key)) add(errors, key, UNKNOWN_FIELD);
    else if (knownKind && !KIND_FIELDS[kind].includes(key) && !COMMON_FIELDS.includes(key)) add(errors, key, NOT_APPLICABLE);
    else if (shape !== 'kind') {
      const message = valueError(shape, key, value, kind);
      if (message !== null) add(errors, key, message);
    }
  }
  if (knownKind) for (const key of REQUIRED[kind]) if (!has(flow, key)) add(errors, key, REQUIRED_MESSAGE);
  return errors;
}

function valueError(shape, key, value, kind) {
  switch (shape) {
    case 'money': return moneyError(value, kind === 'overpayment' ? 'nonzero' : 'positive')[1];
    case 'text': return textError(value, key);
    case 'id': return isInt(value, 1) ? null : 'Identifiant entier ≥ 1 attendu.';
    case 'count': return isInt(value, 0, MAX_COUNT) ? null : 'Entier ≥ 0 attendu.';
    case 'vat_bp': return isInt(value, 0, 10_000) ? null : 'Taux de TVA invalide (points de base, de 0 à 10000).';
    case 'bool': return typeof value === 'boolean' ? null : 'Vrai ou faux attendu.';
    default: return typeof value === 'string' && UUID_RE.test(value) ? null : 'UUID attendu.';
  }
}

/** The name of the disabled option that forbids `kind`, or null when it is allowed. */
export function checkFlowAllowed(kind, options) {
  const option = OPTION_OF_KIND[kind];
  return option !== undefined && !options[option] ? option : null;
}

/** The rules of a movement against the company (money in cents): a void's target, which methods may
 * carry it, required customer, supplier or label. `settings` is the raw JSON settings (or normalized). */
export function flowRules(flow, rawSettings, { existing = null, normalized = false } = {}) {
  const settings = normalized ? rawSettings : normalizeDayInput({ settings: rawSettings }).settings;
  const errors = {};
  const get = (key) => (flow[key] === undefined ? null : flow[key]);
  const kind = get('kind');
  if (typeof flow.id !== 'string' || !flow.id) add(errors, 'id', 'Identifiant du mouvement manquant.');
  if (typeof kind !== 'string' || !FLOW_KINDS.includes(kind)) {
    add(errors, 'kind', 'Type de mouvement inconnu.');
    return errors;
  }
  const option = checkFlowAllowed(kind, settings.options);
  if (option !== null) add(errors, 'kind', `Ce mouvement est désactivé pour cette société (option ${option}).`);
  if (kind === 'void') {
    const target = get('voids');
    const known = existing !== null && has(existing, target);
    if (typeof target !== 'string' || !target) add(errors, 'voids', 'Indiquez le mouvement à annuler.');
    else if (target === flow.id) add(errors, 'voids', "Un mouvement ne peut pas s’annuler lui-même.");
    else if (existing !== null && !known) add(errors, 'voids', 'Mouvement à annuler introuvable dans cette journée.');
    else if (existing !== null && existing[target] === 'void') {
      add(errors, 'voids', 'Une annulation ne s’annule pas : saisissez de nouveau le mouvement.');
    }
    return errors;
  }
  const amount = get('amount');
  if (!isInt(amount, -MAX_INT)) add(errors, 'amount', 'Montant invalide.');
  else if (kind === 'overpayment' && amount === 0) add(errors, 'amount', NONZERO);
  else if (kind !== 'overpayment' && amount <= 0) add(errors, 'amount', POSITIVE);
  const checkMethod = (key) => {
    if (get(key) === null) { add(errors, key, 'Moyen de paiement obligatoire.'); return null; }
    const m = typeof get(key) === 'boolean' ? null : findMethod(settings, get(key));
    if (m === null) add(errors, key, 'Moyen de paiement inconnu.');
    else if (NOT_A_DRAWER.includes(m.kind)) add(errors, key, `Le moyen « ${label(m)} » ne peut pas porter ce mouvement.`);
    return m;
  };
  let method = null;
  if (NEEDS_METHOD.includes(kind) || (kind === 'expense' && get('method_id') !== null)) {
    method = checkMethod('method_id');
  } else if (kind === 'expense' && !settings.methods.some((m) => m.kind === 'cash')) {
    add(errors, 'method_id', 'Moyen de paiement obligatoire.');
  }
  if (kind === 'deposit' && method !== null && method.deposit_mode !== 'manual') {
    add(errors, 'method_id', 'Seuls les moyens à dépôt manuel (espèces, chèques) se remettent en banque.');
  }
  if (kind === 'transfer') {
    const target = checkMethod('to_method_id');
    if (target !== null && target === method) add(errors, 'to_method_id', 'Le transfert doit aller vers un autre moyen de paiement.');
  }
  const known = (list, id) => id !== null && typeof id !== 'boolean' && list.some((p) => p.id === id);
  const customer = get('customer_id');
  const detailed = settings.options.credit_mode === 'detailed';
  if (customer === null && (kind === 'credit_granted' || kind === 'credit_settled') && detailed) {
    add(errors, 'customer_id', 'Client obligatoire en mode crédit détaillé.');
  } else if (customer !== null && !known(settings.customers, customer)) add(errors, 'customer_id', 'Client inconnu.');
  if (kind.startsWith('voucher_') && isBlank(get('code'))) add(errors, 'code', 'Numéro du bon obligatoire.');
  if (kind === 'expense') {
    const supplier = get('supplier_id');
    if (supplier === null && isBlank(get('label'))) add(errors, 'label', 'Indiquez un fournisseur ou un libellé.');
    else if (supplier !== null && !known(settings.suppliers, supplier)) add(errors, 'supplier_id', 'Fournisseur inconnu.');
    const vatBp = get('vat_bp');
    if (vatBp !== null && !isInt(vatBp, 0, 10_000)) add(errors, 'vat_bp', 'Taux de TVA invalide.');
  }
  return errors;
}

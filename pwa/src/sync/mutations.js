// Builders for the four sync mutations (docs/ARCHITECTURE.md § Sync). Pure: money values are
// already wire strings ("633.00") when they reach this module; ids come from the caller.
// The guard before the outbox: `dayPut` and `flowAdd` run the domain's validation (the twin of the
// server's) and throw a ValidationError carrying {field: [message_fr]} instead of building a mutation
// the server would refuse; nothing is queued. `ctx` may add the settings and today's date.
import { ValidationError, validateFlow, validateHeader } from '../domain/validation.js';

export const HEADER_FIELDS = ['z_number', 'sales_count', 'sales', 'payments', 'opening', 'counts', 'comment'];

export const FLOW_KINDS = [
  'cash_in', 'cash_out', 'expense', 'deposit', 'transfer', 'credit_granted', 'credit_settled',
  'refund', 'voucher_sold', 'voucher_redeemed', 'voucher_expired', 'overpayment', 'void',
];

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** RFC 4122 v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function newUuid(c = globalThis.crypto) {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function checkDay(registerId, date) {
  if (!Number.isInteger(registerId)) throw new TypeError('register_id must be an integer');
  if (!DATE_RE.test(date)) throw new TypeError('date must be YYYY-MM-DD');
}

/** Throw a ValidationError when `errors` is not empty. */
function guard(errors) {
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** `day.put`: only the header fields given; unknown keys are refused so typos never reach the wire. */
export function dayPut(registerId, date, baseRevision, fields, ctx = {}) {
  checkDay(registerId, date);
  const clean = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!HEADER_FIELDS.includes(key)) throw new TypeError(`unknown header field ${key}`);
    clean[key] = value;
  }
  if (Object.keys(clean).length === 0) throw new TypeError('day.put needs at least one field');
  guard(validateHeader(clean, { ...ctx, date }));
  return {
    name: 'day.put',
    args: { register_id: registerId, date, base_revision: baseRevision ?? 0, fields: clean },
  };
}

/** `flow.add`: the flow id is a client-made UUID (idempotent replays, no collision between tills). */
export function flowAdd(registerId, date, flow, makeId = newUuid, ctx = {}) {
  checkDay(registerId, date);
  if (!FLOW_KINDS.includes(flow.kind)) throw new TypeError(`unknown flow kind ${flow.kind}`);
  const out = {};
  for (const [key, value] of Object.entries(flow)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  if (!out.id) out.id = makeId();
  guard(validateFlow(out, { ...ctx, date }));
  return { name: 'flow.add', args: { register_id: registerId, date, flow: out } };
}

export function dayClose(registerId, date, baseRevision) {
  checkDay(registerId, date);
  return { name: 'day.close', args: { register_id: registerId, date, base_revision: baseRevision ?? 0 } };
}

export function dayReopen(registerId, date, reason) {
  checkDay(registerId, date);
  return { name: 'day.reopen', args: { register_id: registerId, date, reason } };
}

/**
 * A fresh mutation that re-types a rejected one (« Ressaisir ») on an open day:
 * header writes get the current base revision, flows a new UUID (the old one may be known).
 */
export function retype(rejected, { baseRevision, date, makeId = newUuid }) {
  const { name, args } = rejected;
  const targetDate = date ?? args.date;
  if (name === 'day.put') return dayPut(args.register_id, targetDate, baseRevision, args.fields);
  if (name === 'flow.add') {
    const { id: _old, ...flow } = args.flow;
    return flowAdd(args.register_id, targetDate, flow, makeId);
  }
  if (name === 'day.close') return dayClose(args.register_id, targetDate, baseRevision);
  if (name === 'day.reopen') return dayReopen(args.register_id, targetDate, args.reason);
  throw new TypeError(`cannot retype ${name}`);
}

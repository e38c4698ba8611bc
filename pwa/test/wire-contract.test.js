// What the PWA puts on the wire must match schema/*.schema.json: a malformed batch is refused
// whole (4xx) and would block the outbox, so every builder is checked against the schemas.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { dayPut, flowAdd, dayClose, dayReopen } from '../src/sync/mutations.js';
import { buildFlow, kindFields } from '../src/day/flow-specs.js';
import { cleanGrid, gridTotal } from '../src/day/billetage.js';
import { toWire } from '../src/cash.js';
import { db } from '../src/db.js';
import { enqueue } from '../src/sync/outbox.js';
import { push, pull } from '../src/sync/client.js';

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const schema = (name) => ajv.compile(JSON.parse(readFileSync(new URL(`../../schema/${name}.schema.json`, import.meta.url), 'utf8')));
const check = (validate, data) => assert.ok(validate(data), JSON.stringify(validate.errors));
const asSent = (m, id = 1) => ({ id, name: m.name, args: m.args, client_time: '2025-03-14T17:02:11.000Z' });
const DEVICE = '0b5d4b00-1111-4222-8333-444455556666';

test('day.put built from the screens fits mutation-day-put', () => {
  const validate = schema('mutation-day-put');
  const grid = cleanGrid({ 10000: 1, 5000: 2, 20: 1, 1: 0 });
  check(validate, asSent(dayPut(1, '2025-03-14', 0, {
    z_number: '41', sales_count: 150, comment: 'Erreur de rendu monnaie',
    sales: [{ category_id: 1, amount: '633.00' }, { category_id: 4, amount: '12.50' }],
    payments: [{ method_id: 10, amount: '400.00' }],
    opening: [{ method_id: 10, amount: '200.00' }],
    counts: [{ method_id: 10, amount: toWire(gridTotal(grid)), grid }],
  })));
  check(validate, asSent(dayPut(1, '2025-03-14', 3, { sales_count: 0 })));
});

const SAMPLES = {
  cash_in: { amount: '50.00', method_id: '10', reason: 'Fonds', owner: true },
  cash_out: { amount: '20.00', method_id: '10', reason: 'Monnaie' },
  refund: { amount: '5.00', method_id: '10', customer_id: '5', reason: 'Erreur' },
  expense: { supplier_id: '4', amount: '31.65', vat_bp: '550', method_id: '10' },
  deposit: { method_id: '12', amount: '70.00', slip_number: 'B-12', cheque_count: 2 },
  transfer: { method_id: '12', to_method_id: '10', amount: '10.00' },
  credit_granted: { customer_id: '5', amount: '12.00' },
  credit_settled: { customer_id: '5', amount: '12.00', method_id: '10' },
  voucher_sold: { code: 'BC-001', amount: '30.00', method_id: '11' },
  voucher_redeemed: { code: 'BC-001', amount: '30.00' },
  overpayment: { amount: '-0.20', method_id: '10' },
};

test('every movement form builds a flow.add that fits mutation-flow-add', () => {
  const validate = schema('mutation-flow-add');
  let n = 0;
  for (const [kind, values] of Object.entries(SAMPLES)) {
    const built = buildFlow(kind, kindFields(kind, { credit_mode: 'detailed' }), values);
    assert.equal(built.errors, undefined, kind);
    check(validate, asSent(flowAdd(1, '2025-03-14', built.flow, () => crypto.randomUUID())));
    n += 1;
  }
  assert.equal(n, 11);
  check(validate, asSent(flowAdd(1, '2025-03-14', { kind: 'void', voids: crypto.randomUUID(), reason: 'doublon' }, () => crypto.randomUUID())));
});

test('day.close and day.reopen fit their schemas', () => {
  check(schema('mutation-day-close'), asSent(dayClose(1, '2025-03-14', 4)));
  check(schema('mutation-day-reopen'), asSent(dayReopen(1, '2025-03-14', 'Oubli d’une dépense')));
});

test('push and pull requests sent by the client fit their schemas', async () => {
  const bodies = [];
  globalThis.fetch = async (url, init) => {
    bodies.push([url, JSON.parse(init.body)]);
    const answer = url.endsWith('/push')
      ? { schema: 1, last_mutation_id: 2, results: [{ id: 1, status: 'applied' }, { id: 2, status: 'applied' }], gap_at: null }
      : { schema: 1, cookie: 1, reset: false, more: false, last_mutation_id: 2, changes: [], rejections: [] };
    return new Response(JSON.stringify(answer), { status: 200 });
  };
  await db.queue.clear();
  await enqueue(9, [dayPut(1, '2025-03-14', 0, { z_number: '1' }), dayClose(1, '2025-03-14', 0)], { device: DEVICE });
  await push(9, DEVICE);
  await pull(9, DEVICE);
  check(schema('sync-push-request'), bodies[0][1]);
  check(schema('sync-pull-request'), bodies[1][1]);
});

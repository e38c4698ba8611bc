import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayPut, flowAdd, dayClose, dayReopen, retype, newUuid } from '../src/sync/mutations.js';

test('day.put carries register, date, base revision and only header fields', () => {
  assert.deepEqual(dayPut(1, '2025-03-14', 3, { z_number: '42', sales: [{ category_id: 1, amount: '633.00' }] }), {
    name: 'day.put',
    args: { register_id: 1, date: '2025-03-14', base_revision: 3, fields: { z_number: '42', sales: [{ category_id: 1, amount: '633.00' }] } },
  });
  assert.throws(() => dayPut(1, '2025-03-14', 3, { revision: 9 }), /unknown header field/);
  assert.throws(() => dayPut(1, '14/03/2025', 3, { comment: '' }), /YYYY-MM-DD/);
  assert.throws(() => dayPut(1, '2025-03-14', 3, {}), /at least one/);
});

test('flow.add gives the flow a client UUID and drops empty fields', () => {
  const m = flowAdd(1, '2025-03-14', { kind: 'expense', amount: '31.65', label: 'Farine', vat_bp: 0, supplier_id: null, reason: '' }, () => '0b5d4b00-0000-4000-8000-000000000001');
  assert.deepEqual(m, { name: 'flow.add', args: { register_id: 1, date: '2025-03-14', flow: { kind: 'expense', amount: '31.65', label: 'Farine', vat_bp: 0, id: '0b5d4b00-0000-4000-8000-000000000001' } } });
  assert.throws(() => flowAdd(1, '2025-03-14', { kind: 'gift' }, () => 'x'), /unknown flow kind/);
});

test('day.close and day.reopen', () => {
  assert.deepEqual(dayClose(1, '2025-03-14', 4), { name: 'day.close', args: { register_id: 1, date: '2025-03-14', base_revision: 4 } });
  assert.deepEqual(dayReopen(1, '2025-03-14', 'oubli'), { name: 'day.reopen', args: { register_id: 1, date: '2025-03-14', reason: 'oubli' } });
});

test('retype: a stale day.put is re-sent with the current base revision', () => {
  const rejected = { name: 'day.put', args: { register_id: 1, date: '2025-03-14', base_revision: 2, fields: { comment: 'x' } } };
  assert.equal(retype(rejected, { baseRevision: 5 }).args.base_revision, 5);
});

test('retype: a flow gets a new id and may move to another (open) day', () => {
  const rejected = { name: 'flow.add', args: { register_id: 1, date: '2025-03-14', flow: { id: 'old', kind: 'cash_out', amount: '10.00', method_id: 1 } } };
  const m = retype(rejected, { date: '2025-03-15', makeId: () => '0b5d4b00-0000-4000-8000-000000000002' });
  assert.equal(m.args.date, '2025-03-15');
  assert.equal(m.args.flow.id, '0b5d4b00-0000-4000-8000-000000000002');
  assert.equal(m.args.flow.amount, '10.00');
});

test('UUIDs also without crypto.randomUUID (plain-HTTP contexts)', () => {
  const fallback = newUuid({ getRandomValues: (a) => globalThis.crypto.getRandomValues(a) });
  assert.match(fallback, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(newUuid(), newUuid());
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rebase, dayKey, flowsOfDay, daysOfRegister } from '../src/sync/rebase.js';

const serverDay = {
  id: 'd-1', register_id: 1, date: '2025-03-14', status: 'open', revision: 3,
  z_number: '41', sales_count: 150, sales: [{ category_id: 1, amount: '633.00' }], payments: [], opening: [], counts: [], comment: '',
};
const rows = [
  { entity: 'company', id: '7', data: { id: 7, name: 'Boulangerie' } },
  { entity: 'day', id: 'd-1', data: serverDay },
  { entity: 'flow', id: 'f-1', data: { id: 'f-1', register_id: 1, date: '2025-03-14', kind: 'deposit', amount: '350.00', created_at: '2025-03-14T17:00:00Z' } },
];

test('without pending mutations the view is the replica', () => {
  const view = rebase(rows, []);
  assert.deepEqual(view.days.get(dayKey(1, '2025-03-14')), serverDay);
  assert.equal(view.entities.company.get('7').name, 'Boulangerie');
  assert.equal(view.flows.size, 1);
});

test('pending day.put fields are replayed on top, revision stays the server one', () => {
  const pending = [{ id: 5, name: 'day.put', args: { register_id: 1, date: '2025-03-14', base_revision: 3, fields: { z_number: '42', comment: 'ok' } } }];
  const day = rebase(rows, pending).days.get(dayKey(1, '2025-03-14'));
  assert.equal(day.z_number, '42');
  assert.equal(day.comment, 'ok');
  assert.equal(day.sales_count, 150);
  assert.equal(day.revision, 3);
  assert.equal(day.pending, 1);
});

test('mutations already processed by the server are not applied twice', () => {
  const pending = [{ id: 4, name: 'day.put', args: { register_id: 1, date: '2025-03-14', base_revision: 2, fields: { z_number: 'old' } } }];
  assert.equal(rebase(rows, pending, 4).days.get(dayKey(1, '2025-03-14')).z_number, '41');
});

test('pending mutations replay in id order whatever the input order', () => {
  const put = (id, z) => ({ id, name: 'day.put', args: { register_id: 1, date: '2025-03-14', base_revision: 3, fields: { z_number: z } } });
  assert.equal(rebase(rows, [put(9, 'last'), put(7, 'first')]).days.get(dayKey(1, '2025-03-14')).z_number, 'last');
});

test('a day unknown to the server is created locally by a mutation', () => {
  const pending = [{ id: 1, name: 'flow.add', args: { register_id: 2, date: '2025-03-15', flow: { id: 'f-9', kind: 'cash_in', amount: '20.00', method_id: 1 } } }];
  const view = rebase(rows, pending);
  const day = view.days.get(dayKey(2, '2025-03-15'));
  assert.equal(day.local, true);
  assert.equal(day.revision, 0);
  assert.equal(day.status, 'open');
  const flows = flowsOfDay(view, 2, '2025-03-15');
  assert.equal(flows.length, 1);
  assert.equal(flows[0].pending, true);
});

test('day.close closes optimistically; later writes to the closed day are doomed', () => {
  const pending = [
    { id: 1, name: 'day.close', args: { register_id: 1, date: '2025-03-14', base_revision: 3 } },
    { id: 2, name: 'day.put', args: { register_id: 1, date: '2025-03-14', base_revision: 3, fields: { comment: 'late' } } },
  ];
  const view = rebase(rows, pending);
  const day = view.days.get(dayKey(1, '2025-03-14'));
  assert.equal(day.status, 'closed');
  assert.equal(day.comment, '');
  assert.deepEqual(view.doomed, [2]);
});

test('day.reopen reopens a closed day', () => {
  const closed = rows.map((r) => (r.entity === 'day' ? { ...r, data: { ...r.data, status: 'closed' } } : r));
  const view = rebase(closed, [{ id: 1, name: 'day.reopen', args: { register_id: 1, date: '2025-03-14', reason: 'erreur' } }]);
  assert.equal(view.days.get(dayKey(1, '2025-03-14')).status, 'open');
});

test('rebase never mutates its inputs', () => {
  const frozen = structuredClone(rows);
  rebase(rows, [{ id: 1, name: 'day.put', args: { register_id: 1, date: '2025-03-14', base_revision: 3, fields: { z_number: 'x' } } }]);
  assert.deepEqual(rows, frozen);
});

test('flows of a day: server ones by time, pending ones last, voids included', () => {
  const view = rebase(rows, [
    { id: 1, name: 'flow.add', args: { register_id: 1, date: '2025-03-14', flow: { id: 'f-2', kind: 'expense', amount: '31.65' } } },
    { id: 2, name: 'flow.add', args: { register_id: 1, date: '2025-03-14', flow: { id: 'f-3', kind: 'void', voids: 'f-2', reason: 'doublon' } } },
  ]);
  const flows = flowsOfDay(view, 1, '2025-03-14');
  assert.deepEqual(flows.map((f) => f.id), ['f-1', 'f-2', 'f-3']);
});

test('days of a register, most recent first', () => {
  const view = rebase(rows, [{ id: 1, name: 'day.put', args: { register_id: 1, date: '2025-03-15', base_revision: 0, fields: { z_number: '43' } } }]);
  assert.deepEqual(daysOfRegister(view, 1).map((d) => d.date), ['2025-03-15', '2025-03-14']);
});

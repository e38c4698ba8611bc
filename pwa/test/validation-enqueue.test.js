// The PWA runs the domain's validation before it queues: an entry the server would refuse (negative
// sales, a negative payment, an expense carrying another kind's field…) is never queued; the model
// keeps the draft and the French messages by field for the screen.
import 'fake-indexeddb/auto';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { db } from '../src/db.js';
import { pendingCount } from '../src/sync/outbox.js';
import { DayModel } from '../src/day/model.js';
import { ValidationError } from '../src/domain/index.js';

const CID = 7;
const CASH = 10;
const UUID = '0b5d4b00-0000-4000-8000-0000000000aa';

beforeEach(async () => {
  await Promise.all([db.meta.clear(), db.queue.clear(), db.entities.clear(), db.conflicts.clear()]);
});

async function model() {
  return new DayModel(CID, 1, '2025-03-14').load();
}

test('negative sales are not queued; the draft stays with the message on the field', async () => {
  const day = await model();
  day.set('sales', [{ category_id: 1, amount: '-12.50' }]);
  await day.save();
  assert.equal(await pendingCount(CID), 0);
  assert.deepEqual(day.errors, { 'sales[0].amount': ['Le montant ne peut pas être négatif.'] });
  assert.deepEqual(day.draft.sales, [{ category_id: 1, amount: '-12.50' }]);
  day.set('sales', [{ category_id: 1, amount: '12.50' }]);
  await day.save();
  assert.equal(await pendingCount(CID), 1);
  assert.deepEqual(day.errors, {});
  day.dispose();
});

test('a negative payment is not queued', async () => {
  const day = await model();
  let told = 0;
  day.onChange((reason) => { if (reason === 'invalid') told += 1; });
  day.set('payments', [{ method_id: CASH, amount: '-5' }]);
  await day.save();
  assert.equal(await pendingCount(CID), 0);
  assert.deepEqual(Object.keys(day.errors), ['payments[0].amount']);
  assert.equal(told, 1);
  day.dispose();
});

test('an invalid movement throws a ValidationError naming its fields and queues nothing', async () => {
  const day = await model();
  const cases = [
    [{ kind: 'expense', amount: '3.30', label: 'Timbres', vat_bp: 0, owner: true }, ['owner']],
    [{ kind: 'cash_in', amount: '0', method_id: CASH }, ['amount']],
    [{ kind: 'cash_out', amount: '1e2', method_id: CASH }, ['amount']],
    [{ kind: 'deposit', amount: '50.00', method_id: CASH, slip_number: 'caf\ud83d' }, ['slip_number']],
  ];
  for (const [flow, fields] of cases) {
    await assert.rejects(day.addFlow({ id: UUID, ...flow }), (error) => error instanceof ValidationError
      && assert.deepEqual(Object.keys(error.errors), fields) === undefined);
  }
  assert.equal(await pendingCount(CID), 0);
  await day.addFlow({ kind: 'expense', amount: '3.30', label: 'Timbres', vat_bp: 0 });
  await day.addFlow({ kind: 'deposit', amount: '50.00', method_id: CASH, cheque_count: 0 });
  assert.equal(await pendingCount(CID), 2);
  day.dispose();
});

test('a day beyond tomorrow is not queued', async () => {
  const far = new DayModel(CID, 1, '2999-01-01');
  await far.load();
  far.set('z_number', '1');
  await far.save();
  assert.deepEqual(far.errors, { date: ['Date trop lointaine : une journée ne se saisit pas au-delà de demain.'] });
  await assert.rejects(far.addFlow({ kind: 'cash_in', amount: '1', method_id: CASH }), ValidationError);
  assert.equal(await pendingCount(CID), 0);
  far.dispose();
});

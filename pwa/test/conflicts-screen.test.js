// The conflicts screen reads the server's side of a rejection in the shapes the server sends.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverSide } from '../src/screens/conflicts.js';

test('stale_revision: the header fields are under `fields`', () => {
  const r = { name: 'day.put', server_value: { status: 'open', revision: 4, fields: { comment: 'theirs' }, conflicts: ['comment'] } };
  assert.deepEqual(serverSide(r), { fields: { comment: 'theirs' }, flow: null, closed: false });
});

test('day_closed says so; a reused flow id brings the stored flow', () => {
  assert.equal(serverSide({ server_value: { status: 'closed', revision: 9, fields: {} } }).closed, true);
  const flow = { id: 'x', kind: 'expense', amount: '3.00' };
  assert.deepEqual(serverSide({ server_value: { register_id: 1, date: '2026-11-22', flow } }).flow, flow);
});

test('a flat value (older servers, the mock) and no value at all still read', () => {
  assert.deepEqual(serverSide({ server_value: { comment: 'theirs' } }).fields, { comment: 'theirs' });
  assert.deepEqual(serverSide({ server_value: null }), { fields: {}, flow: null, closed: false });
});

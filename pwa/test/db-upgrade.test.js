// The v1 → v2 upgrade: the installation-wide outbox moves to the per-device queue under the legacy
// device id (rejections too), which goes (with its counters) to the user stored in the session. Nothing is lost.
// Own file: the v1 database must exist before db.js opens it.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Dexie from 'dexie';

test('upgrading keeps every outbox entry and gives the legacy id and counters to the session user', async () => {
  const old = new Dexie('caisse');
  old.version(1).stores({
    meta: 'key',
    outbox: '[company_id+id], company_id',
    entities: '[entity+id], [company_id+entity], ref, company_id',
    rejections: '[company_id+mutation_id], company_id',
  });
  await old.meta.bulkPut([
    { key: 'device_id', value: 'legacy' },
    { key: 'session', value: { user: { id: 4 }, csrf: 't' } },
    { key: 'sync:7', value: { last_assigned: 12, server_last: 10, cookie: 55, synced_at: 1 } },
  ]);
  await old.outbox.bulkAdd([
    { company_id: 7, id: 11, name: 'day.put', args: { n: 11 }, client_time: 'x' },
    { company_id: 7, id: 12, name: 'day.put', args: { n: 12 }, client_time: 'y' },
  ]);
  await old.rejections.add({ company_id: 7, mutation_id: 9, name: 'day.put', args: {}, code: 'stale', local: 'abandoned' });
  old.close();

  const { db, deviceId, counters, syncState } = await import('../src/db.js');
  const { pending } = await import('../src/sync/outbox.js');
  assert.deepEqual((await pending(7, 'legacy')).map((m) => [m.id, m.args.n]), [[11, 11], [12, 12]]);
  assert.deepEqual(await counters(7, 'legacy'), { last_assigned: 12, server_last: 10 });
  assert.equal((await syncState(7)).cookie, 55);
  assert.equal(await deviceId(4), 'legacy');
  assert.notEqual(await deviceId(5), 'legacy');
  assert.deepEqual((await db.conflicts.toArray()).map((r) => [r.device_id, r.mutation_id, r.local]), [['legacy', 9, 'abandoned']]);
  assert.deepEqual(db.tables.map((t) => t.name).filter((n) => n === 'outbox' || n === 'rejections'), []);
});

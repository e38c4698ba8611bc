// One device id per user of a shared till, mutation counters per (device, company), and an outbox
// where each user's entries wait for that user (the server binds a device id to its first user).
import 'fake-indexeddb/auto';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { db, deviceId, currentDeviceId, counters, setMeta } from '../src/db.js';
import { enqueue, pending, pendingCount, othersPendingCount, companiesWithPending } from '../src/sync/outbox.js';
import { push, pull } from '../src/sync/client.js';
import { setCsrf } from '../src/api.js';
import { dayPut } from '../src/sync/mutations.js';
import { createEngine } from '../src/sync/engine.js';
import { companiesToSync, loadView } from '../src/store.js';
import { syncStatus, othersText } from '../src/sync/status.js';

const CID = 7;
const put = (z) => dayPut(1, '2025-03-14', 0, { z_number: z });
let bodies;

function answerAll(lastByDevice) {
  bodies = [];
  globalThis.fetch = async (url, init) => {
    const body = JSON.parse(init.body);
    bodies.push([url, body]);
    const last = lastByDevice[body.device_id] ?? 0;
    const answer = url.endsWith('/push')
      ? { schema: 1, last_mutation_id: body.mutations.at(-1).id, results: body.mutations.map((m) => ({ id: m.id, status: 'applied' })), gap_at: null }
      : { schema: 1, cookie: 3, reset: false, more: false, last_mutation_id: last, changes: [], rejections: [] };
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
}

async function loginAs(userId) {
  await setMeta('session', { user: { id: userId }, csrf: 'tok' });
}

beforeEach(async () => {
  await Promise.all([db.meta.clear(), db.queue.clear(), db.entities.clear(), db.conflicts.clear()]);
  setCsrf('tok');
});

test('each user of the installation gets their own stable device id', async () => {
  const a = await deviceId(1);
  const b = await deviceId(2);
  assert.match(a, /^[0-9a-f-]{36}$/);
  assert.notEqual(a, b);
  assert.equal(await deviceId(1), a);
  assert.equal((await db.meta.get('device_id:2')).value, b);
  await loginAs(2);
  assert.equal(await currentDeviceId(), b);
});

test('a legacy installation-wide id left unadopted goes to the first user who asks, and only to them', async () => {
  await setMeta('device_id', 'legacy');
  assert.equal(await deviceId(5), 'legacy');
  assert.equal(await db.meta.get('device_id'), undefined);
  assert.notEqual(await deviceId(6), 'legacy');
  assert.equal(await deviceId(5), 'legacy');
});

test('mutation counters are per (device, company): two users each start at 1', async () => {
  await enqueue(CID, [put('a1'), put('a2')], { device: 'dev-a' });
  await enqueue(CID, put('b1'), { device: 'dev-b' });
  await enqueue(8, put('a-other-company'), { device: 'dev-a' });
  assert.deepEqual((await pending(CID, 'dev-a')).map((m) => [m.device_id, m.id]), [['dev-a', 1], ['dev-a', 2]]);
  assert.deepEqual((await pending(CID, 'dev-b')).map((m) => [m.device_id, m.id]), [['dev-b', 1]]);
  assert.equal((await pending(CID)).length, 3);
  assert.deepEqual(await counters(CID, 'dev-a'), { last_assigned: 2, server_last: 0 });
  assert.deepEqual(await counters(CID, 'dev-b'), { last_assigned: 1, server_last: 0 });
  assert.equal(await pendingCount(CID, 'dev-b'), 1);
  assert.equal(await pendingCount(null, 'dev-a'), 3);
  assert.equal(await othersPendingCount('dev-b'), 3);
  assert.deepEqual((await companiesWithPending('dev-a')).sort(), [7, 8]);
  assert.deepEqual(await companiesToSync(9, 'dev-b'), [9, 7]);
});

test('enqueue numbers with the session user\'s device by default', async () => {
  await loginAs(1);
  const [row] = await enqueue(CID, put('x'));
  assert.equal(row.device_id, await deviceId(1));
  await loginAs(2);
  const [other] = await enqueue(CID, put('y'));
  assert.equal(other.device_id, await deviceId(2));
  assert.equal(other.id, 1);
});

test('push sends only the current device\'s entries; another user\'s stay queued, untouched', async () => {
  await enqueue(CID, put('cashier'), { device: 'dev-a' });
  await enqueue(CID, [put('admin 1'), put('admin 2')], { device: 'dev-b' });
  answerAll({ 'dev-b': 2, 'dev-a': 0 });
  assert.equal(await push(CID, 'dev-b'), 2);
  await pull(CID, 'dev-b');
  assert.deepEqual(bodies.map(([, b]) => b.device_id), ['dev-b', 'dev-b']);
  assert.deepEqual(bodies[0][1].mutations.map((m) => m.args.fields.z_number), ['admin 1', 'admin 2']);
  assert.deepEqual((await pending(CID)).map((m) => [m.device_id, m.id]), [['dev-a', 1]]);
  assert.equal((await counters(CID, 'dev-b')).server_last, 2);
  assert.equal((await counters(CID, 'dev-a')).server_last, 0);
  // The cashier comes back: her entry goes out under her own device id.
  answerAll({ 'dev-a': 1 });
  assert.equal(await push(CID, 'dev-a'), 1);
  assert.equal(bodies[0][1].device_id, 'dev-a');
  assert.equal(await pendingCount(), 0);
});

test('a pull acknowledges only the pulling device\'s entries', async () => {
  await enqueue(CID, put('a'), { device: 'dev-a' });
  await enqueue(CID, put('b'), { device: 'dev-b' });
  answerAll({ 'dev-b': 1 });
  await pull(CID, 'dev-b');
  assert.deepEqual((await pending(CID)).map((m) => m.device_id), ['dev-a']);
});

test('two users\' rejections with the same mutation id are both kept, each with its own decision', async () => {
  const rejectedPull = (id) => async (url, init) => {
    const body = JSON.parse(init.body);
    const rejections = [{ mutation_id: 1, name: 'day.put', args: { who: body.device_id }, code: 'stale', message: 'm', server_value: null, resolution: null }];
    return new Response(JSON.stringify({ schema: 1, cookie: 3, reset: false, more: false, last_mutation_id: id, changes: [], rejections }), { status: 200 });
  };
  globalThis.fetch = rejectedPull(1);
  await pull(CID, 'dev-a');
  await db.conflicts.update([CID, 'dev-a', 1], { local: 'abandoned' });
  await pull(CID, 'dev-b');
  await pull(CID, 'dev-a');
  const rows = await db.conflicts.where('company_id').equals(CID).toArray();
  assert.deepEqual(rows.map((r) => [r.device_id, r.mutation_id, r.args.who, r.local]),
    [['dev-a', 1, 'dev-a', 'abandoned'], ['dev-b', 1, 'dev-b', null]]);
});

test('the local view shows every user\'s unsent entries, minus what each device had processed', async () => {
  await enqueue(CID, put('from a'), { device: 'dev-a' });
  await enqueue(CID, put('from b'), { device: 'dev-b' });
  let view = await loadView(CID);
  assert.equal(view.pendingCount, 2);
  await db.meta.put({ key: `counter:dev-a:${CID}`, value: { last_assigned: 1, server_last: 1 } });
  view = await loadView(CID);
  assert.equal([...view.days.values()][0].z_number, 'from b');
});

test('the status bar counts another user\'s entries, in French, with a computed plural', () => {
  assert.equal(othersText(0), '');
  assert.equal(othersText(1), '1 saisie d’un autre utilisateur en attente');
  assert.equal(othersText(3), '3 saisies d’un autre utilisateur en attente');
  const base = { online: true, pending: 0, error: null, syncing: false, lastSyncAt: null };
  assert.equal(syncStatus({ ...base, others: 3 }).detail, '3 saisies d’un autre utilisateur en attente');
  assert.equal(syncStatus({ ...base, pending: 2, syncing: true, others: 1 }).detail, 'Envoi en cours… · 1 saisie d’un autre utilisateur en attente');
  assert.equal(syncStatus({ ...base }).detail, '');
});

test('the engine reports the current user\'s count and the others\' apart', async () => {
  await enqueue(CID, put('a'), { device: 'dev-a' });
  await enqueue(CID, [put('b1'), put('b2')], { device: 'dev-b' });
  const engine = createEngine({
    companies: async () => [],
    deviceId: async () => 'dev-b',
    pendingCount: () => pendingCount(null, 'dev-b'),
    othersPending: () => othersPendingCount('dev-b'),
    setTimer: () => 1,
    clearTimer: () => {},
  });
  await engine.refreshPending();
  assert.equal(engine.status().pending, 2);
  assert.equal(engine.status().others, 1);
  engine.stop();
});

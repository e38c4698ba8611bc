// Storage-full handling and the sync engine's scheduling, on an in-memory IndexedDB.
import 'fake-indexeddb/auto';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { db, isQuotaError, write, onStorageFull, StorageFullError, counters } from '../src/db.js';
import { enqueue, pendingCount } from '../src/sync/outbox.js';
import { createEngine } from '../src/sync/engine.js';
import { setRequestTimeout } from '../src/sync/client.js';
import { dayPut } from '../src/sync/mutations.js';
import { MAX_DELAY_MS, PERIODIC_MS } from '../src/sync/backoff.js';

const CID = 3;

beforeEach(async () => {
  await Promise.all([db.meta.clear(), db.queue.clear(), db.entities.clear(), db.conflicts.clear()]);
  await db.meta.put({ key: 'device_id', value: 'dev' }); // no session: the installation-wide id
});

function abortWith(inner) {
  const error = new Error('Transaction aborted');
  error.name = 'AbortError';
  error.inner = inner;
  return error;
}

test('quota errors are recognised on the transaction, wrapped or not', () => {
  const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
  assert.ok(isQuotaError(quota));
  assert.ok(isQuotaError(abortWith(quota)));
  assert.ok(isQuotaError(abortWith(null))); // Safari: abort without a cause
  assert.ok(isQuotaError({ name: 'Error', cause: { name: 'AbortError', inner: quota } }));
  assert.ok(!isQuotaError(abortWith(new TypeError('bug'))));
  assert.ok(!isQuotaError(new TypeError('x')));
  assert.ok(!isQuotaError(null));
});

test('a full storage rolls the whole write back, tells the UI in French, keeps earlier entries', async () => {
  await enqueue(CID, dayPut(1, '2025-03-14', 0, { z_number: '1' }));
  const told = [];
  const stop = onStorageFull((e) => told.push(e.message));
  const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
  await assert.rejects(
    enqueue(CID, dayPut(1, '2025-03-14', 0, { z_number: '2' }), { alsoWrite: () => { throw abortWith(quota); } }),
    StorageFullError,
  );
  stop();
  assert.deepEqual(told, ['Espace de stockage plein — vos saisies précédentes sont conservées']);
  assert.equal(await pendingCount(CID), 1);
  assert.equal((await counters(CID, 'dev')).last_assigned, 1);
});

test('other failures pass through untouched', async () => {
  await assert.rejects(write([db.meta], () => { throw new TypeError('bug'); }), TypeError);
});

function harness(answers) {
  const timers = [];
  globalThis.fetch = async () => {
    const a = answers.shift();
    if (a === 'network') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(a.body), { status: a.status ?? 200 });
  };
  const engine = createEngine({
    companies: async () => [CID],
    deviceId: async () => 'dev',
    pendingCount: () => pendingCount(),
    setTimer: (fn, ms) => { timers.push(ms); return timers.length; },
    clearTimer: () => {},
    random: () => 1,
    now: () => 42,
  });
  return { engine, timers };
}

const okPull = { body: { schema: 1, cookie: 1, reset: false, more: false, last_mutation_id: 1, changes: [], rejections: [] } };
const okPush = { body: { schema: 1, last_mutation_id: 1, results: [{ id: 1, status: 'applied' }], gap_at: null } };

test('engine: failures back off exponentially, success returns to the 30 s tick', async () => {
  await enqueue(CID, dayPut(1, '2025-03-14', 0, { comment: 'x' }));
  const { engine, timers } = harness([{ status: 503, body: { code: 'unavailable', message: 'Service momentanément indisponible, réessayez.' } }, 'network', okPush, okPull]);
  const states = [];
  engine.onStatus((s) => states.push(s));
  await engine.request('test');
  assert.equal(engine.status().error, 'Service momentanément indisponible, réessayez.');
  assert.equal(engine.status().pending, 1);
  await engine.request('test');
  assert.equal(engine.status().online, false);
  await engine.request('test');
  assert.deepEqual(timers, [1000, 2000, PERIODIC_MS]);
  const last = engine.status();
  assert.equal(last.pending, 0);
  assert.equal(last.error, null);
  assert.equal(last.lastSyncAt, 42);
  assert.ok(states.some((s) => s.syncing));
  assert.ok(timers.every((ms) => ms <= MAX_DELAY_MS));
  engine.stop();
});

test('engine: a 401 marks the session expired and keeps the outbox', async () => {
  await enqueue(CID, dayPut(1, '2025-03-14', 0, { comment: 'x' }));
  const { engine } = harness([{ status: 401, body: { code: 'unauthorized', message: 'Authentification requise.' } }]);
  await engine.request('test');
  assert.equal(engine.status().sessionExpired, true);
  assert.equal(await pendingCount(CID), 1);
  engine.stop();
});

test('engine: requests during a run fold into one more run', async () => {
  const { engine } = harness([okPull, okPull, okPull]);
  let runs = 0;
  engine.onData(() => { runs += 1; });
  const a = engine.request('a');
  engine.request('b');
  engine.request('c');
  await a;
  assert.equal(runs, 2);
  engine.stop();
});

test('engine: the network coming back starts the retries short again', async () => {
  await enqueue(CID, dayPut(1, '2025-03-14', 0, { comment: 'x' }));
  const { engine, timers } = harness(['network', 'network', 'network', 'network', 'network']);
  for (let i = 0; i < 4; i += 1) await engine.request('offline');
  assert.deepEqual(timers, [1000, 2000, 4000, 8000]);
  // The `online` event: the first try may still fail (the link is not up yet); the next one comes
  // in a second, not in 16.
  engine.setOnline(true);
  await engine.request('online');
  assert.equal(timers.at(-1), 1000);
  assert.equal(await pendingCount(CID), 1);
  engine.stop();
});

test('engine: a request that never answers is abandoned, counted as a network failure, retried', async () => {
  await enqueue(CID, dayPut(1, '2025-03-14', 0, { comment: 'x' }));
  const { engine, timers } = harness([]);
  let hung = 0;
  globalThis.fetch = (_url, init) => new Promise((_resolve, reject) => {
    hung += 1;
    init.signal.addEventListener('abort', () => reject(init.signal.reason));
  });
  setRequestTimeout(50);
  const keepAlive = setTimeout(() => {}, 5000); // AbortSignal.timeout's timer does not hold node's loop
  try {
    await engine.request('test'); // resolves only because the push was abandoned
  } finally {
    clearTimeout(keepAlive);
    setRequestTimeout(45000);
  }
  assert.equal(hung, 1);
  assert.equal(engine.status().online, false);
  assert.equal(engine.status().error, null);
  assert.deepEqual(timers, [1000]);
  assert.equal(await pendingCount(CID), 1);
  engine.stop();
});

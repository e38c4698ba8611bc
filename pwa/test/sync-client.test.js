// Outbox and sync client against an in-memory IndexedDB and a scripted fetch.
import 'fake-indexeddb/auto';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { db, syncState, deviceId, pruneReplica, counters } from '../src/db.js';
import { enqueue, pending, pendingCount } from '../src/sync/outbox.js';
import { push, pull, syncCompany } from '../src/sync/client.js';
import { setCsrf } from '../src/api.js';
import { dayPut, flowAdd } from '../src/sync/mutations.js';
import { loadView, openRejections } from '../src/store.js';
import { dayKey } from '../src/sync/rebase.js';

const CID = 7;
let calls;

/** Answers in order; each is {status, body} or a function of the parsed request. */
function script(...answers) {
  calls = [];
  globalThis.fetch = async (url, init) => {
    const body = init.body ? JSON.parse(init.body) : null;
    calls.push({ url, method: init.method, headers: init.headers, body });
    let answer = answers.shift();
    if (typeof answer === 'function') answer = answer(body);
    if (!answer) throw new TypeError('no more answers');
    if (answer === 'network') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status ?? 200, headers: { 'Content-Type': 'application/json' } });
  };
}

const put = (z) => dayPut(1, '2025-03-14', 0, { z_number: z });
const emptyPull = (last = 0, cookie = 1) => ({ body: { schema: 1, cookie, reset: false, more: false, last_mutation_id: last, changes: [], rejections: [] } });

beforeEach(async () => {
  await Promise.all([db.meta.clear(), db.queue.clear(), db.entities.clear(), db.conflicts.clear()]);
  await db.meta.put({ key: 'device_id', value: 'dev-1' }); // no session: the installation-wide id
  setCsrf('tok');
});

test('enqueue numbers mutations 1, 2, 3… per company, in one transaction with the counter', async () => {
  await enqueue(CID, put('1'));
  await enqueue(CID, [put('2'), put('3')]);
  await enqueue(8, put('other company'));
  assert.deepEqual((await pending(CID)).map((m) => m.id), [1, 2, 3]);
  assert.deepEqual((await pending(8)).map((m) => m.id), [1]);
  assert.equal(await pendingCount(), 4);
  assert.equal((await counters(CID, 'dev-1')).last_assigned, 3);
  const [row] = await pending(CID, 'dev-1', 1);
  assert.equal(row.name, 'day.put');
  assert.match(row.client_time, /^\d{4}-\d{2}-\d{2}T/);
});

test('ids never go below what the server already processed', async () => {
  await db.meta.put({ key: `counter:dev-1:${CID}`, value: { last_assigned: 0, server_last: 41 } });
  const [row] = await enqueue(CID, put('x'));
  assert.equal(row.id, 42);
});

test('push sends the wire format with the CSRF header and drops what the server processed', async () => {
  await enqueue(CID, [put('1'), put('2'), put('3')]);
  script({ body: { schema: 1, last_mutation_id: 2, results: [{ id: 1, status: 'applied' }, { id: 2, status: 'duplicate' }], gap_at: null } });
  const processed = await push(CID, 'dev-1');
  assert.equal(processed, 2);
  const sent = calls[0];
  assert.equal(sent.url, '/api/sync/push');
  assert.equal(sent.method, 'POST');
  assert.equal(sent.headers['X-CSRF-Token'], 'tok');
  assert.equal(sent.body.schema, 1);
  assert.equal(sent.body.company_id, CID);
  assert.equal(sent.body.device_id, 'dev-1');
  assert.deepEqual(sent.body.mutations.map((m) => Object.keys(m).sort()), Array(3).fill(['args', 'client_time', 'id', 'name']));
  assert.deepEqual((await pending(CID)).map((m) => m.id), [3]);
});

test('a rejected mutation leaves the outbox and is kept for the conflicts screen', async () => {
  await enqueue(CID, put('mine'));
  script({ body: { schema: 1, last_mutation_id: 1, gap_at: null,
    results: [{ id: 1, status: 'rejected', code: 'stale_revision', message: 'Modifiée entre-temps', server_value: { z_number: 'theirs' } }] } });
  await push(CID, 'dev-1');
  assert.equal(await pendingCount(CID), 0);
  const [r] = await openRejections(CID);
  assert.equal(r.code, 'stale_revision');
  assert.equal(r.args.fields.z_number, 'mine');
  assert.equal(r.server_value.z_number, 'theirs');
});

test('503 and network errors keep every mutation for the next try', async () => {
  await enqueue(CID, [put('1'), put('2')]);
  script({ status: 503, body: { code: 'unavailable', message: 'Service momentanément indisponible, réessayez.' } });
  await assert.rejects(push(CID, 'dev-1'), (e) => e.status === 503 && /indisponible/.test(e.message));
  script('network');
  await assert.rejects(push(CID, 'dev-1'), (e) => e.status === 0);
  assert.equal(await pendingCount(CID), 2);
});

test('pull applies changes, stores the cookie, acknowledges and rebases pending mutations on top', async () => {
  await enqueue(CID, [put('first'), put('second')]);
  script({ body: { schema: 1, cookie: 12, reset: false, more: false, last_mutation_id: 1, rejections: [], changes: [
    { entity: 'category', id: '1', op: 'put', data: { id: 1, label: 'Pain', vat_bp: 550, position: 1 } },
    { entity: 'day', id: 'd-1', op: 'put', data: { id: 'd-1', register_id: 1, date: '2025-03-14', status: 'open', revision: 4, z_number: 'first' } },
  ] } });
  await pull(CID, 'dev-1');
  assert.equal(calls[0].body.cookie, null);
  assert.equal((await syncState(CID)).cookie, 12);
  assert.deepEqual((await pending(CID)).map((m) => m.id), [2]);
  const view = await loadView(CID);
  const day = view.days.get(dayKey(1, '2025-03-14'));
  assert.equal(day.z_number, 'second');
  assert.equal(day.revision, 4);
  assert.equal(view.entities.category.get('1').label, 'Pain');
});

test('pull follows pages and deletes', async () => {
  await db.entities.put({ entity: 'customer', id: '5', company_id: CID, data: { id: 5 } });
  script(
    { body: { schema: 1, cookie: 2, reset: false, more: true, last_mutation_id: 0, rejections: [], changes: [{ entity: 'customer', id: '5', op: 'del' }] } },
    (body) => ({ body: { schema: 1, cookie: body.cookie + 1, reset: false, more: false, last_mutation_id: 0, rejections: [], changes: [] } }),
  );
  await pull(CID, 'dev-1');
  assert.equal(calls.length, 2);
  assert.equal(calls[1].body.cookie, 2);
  assert.equal(await db.entities.get(['customer', '5']), undefined);
  assert.equal((await syncState(CID)).cookie, 3);
});

test('reset: drop the replica, keep the outbox, pull again from cookie null', async () => {
  await db.entities.put({ entity: 'day', id: 'stale', company_id: CID, data: { id: 'stale', register_id: 1, date: '2020-01-01' } });
  await db.meta.put({ key: `sync:${CID}`, value: { last_assigned: 0, server_last: 0, cookie: 99 } });
  await enqueue(CID, put('keep me'));
  script(
    { body: { schema: 1, cookie: 0, reset: true, more: false, last_mutation_id: 0, changes: [], rejections: [] } },
    { body: { schema: 1, cookie: 3, reset: false, more: false, last_mutation_id: 0, rejections: [], changes: [
      { entity: 'company', id: String(CID), op: 'put', data: { id: CID, name: 'Boulangerie' } }] } },
  );
  await pull(CID, 'dev-1');
  assert.equal(calls[0].body.cookie, 99);
  assert.equal(calls[1].body.cookie, null);
  assert.equal(await db.entities.get(['day', 'stale']), undefined);
  assert.ok(await db.entities.get(['company', String(CID)]));
  assert.equal(await pendingCount(CID), 1);
});

test('one round: push, then pull, stamped with the time', async () => {
  await enqueue(CID, flowAdd(1, '2025-03-14', { kind: 'cash_in', amount: '20.00', method_id: 10 }, () => '0b5d4b00-0000-4000-8000-0000000000f1'));
  script({ body: { schema: 1, last_mutation_id: 1, results: [{ id: 1, status: 'applied' }], gap_at: null } }, emptyPull(1));
  const out = await syncCompany(CID, 'dev-1', () => 1234);
  assert.deepEqual(out, { pushed: 1, pulled: 0 });
  assert.deepEqual(calls.map((c) => c.url), ['/api/sync/push', '/api/sync/pull']);
  assert.equal((await syncState(CID)).synced_at, 1234);
});

test('a CSRF refusal refreshes the token once and retries', async () => {
  await enqueue(CID, put('1'));
  script(
    { status: 403, body: { code: 'csrf_failed', message: 'Jeton CSRF manquant ou invalide.' } },
    { body: { csrf_token: 'fresh' } },
    { body: { schema: 1, last_mutation_id: 1, results: [{ id: 1, status: 'applied' }], gap_at: null } },
  );
  await push(CID, 'dev-1');
  assert.equal(calls[1].url, '/api/auth/csrf');
  assert.equal(calls[2].headers['X-CSRF-Token'], 'fresh');
});

test('the device id is made once', async () => {
  await db.meta.delete('device_id');
  const a = await deviceId();
  assert.match(a, /^[0-9a-f-]{36}$/);
  assert.equal(await deviceId(), a);
});

test('pruning keeps the companies of the user and every outbox', async () => {
  await db.entities.bulkPut([
    { entity: 'company', id: '7', company_id: 7, data: {} },
    { entity: 'company', id: '8', company_id: 8, data: {} },
  ]);
  await db.meta.put({ key: 'sync:8', value: { last_assigned: 3, server_last: 3, cookie: 40 } });
  await enqueue(8, put('unsent'));
  await pruneReplica([7]);
  assert.ok(await db.entities.get(['company', '7']));
  assert.equal(await db.entities.get(['company', '8']), undefined);
  assert.equal((await syncState(8)).cookie, null);
  assert.equal(await pendingCount(8), 1);
});

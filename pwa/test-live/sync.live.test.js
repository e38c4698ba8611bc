// The PWA's real sync code (outbox.js, client.js, rebase.js, store.js on an in-memory IndexedDB)
// against a RUNNING server. Needs CAISSE_URL and CAISSE_TOKEN (a personal API token of a cashier);
// CAISSE_DATE (YYYY-MM-DD) names an opening day of the register that is still open (default: today).
// Driven by tests/e2e/test_live_js_sync.py, which starts the server and makes the token:
//   CAISSE_URL=http://127.0.0.1:8000 CAISSE_TOKEN=… node --test test-live/
import 'fake-indexeddb/auto';
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { counters, db, deviceId } from '../src/db.js';
import { api, configureApi } from '../src/api.js';
import { enqueue, pending, pendingCount } from '../src/sync/outbox.js';
import { syncCompany } from '../src/sync/client.js';
import { dayPut, flowAdd, newUuid } from '../src/sync/mutations.js';
import { dayKey, flowsOfDay } from '../src/sync/rebase.js';
import { loadView, openRejections } from '../src/store.js';
import { todayIso } from '../src/lib/dates.js';

const URL = process.env.CAISSE_URL;
const TOKEN = process.env.CAISSE_TOKEN;
const DATE = process.env.CAISSE_DATE || todayIso();
const skip = !URL || !TOKEN ? 'CAISSE_URL and CAISSE_TOKEN are not set (run it through pytest tests/e2e)' : false;

let company;
let register;
let categories;
let methods;
let device;
const pushes = []; // every push body the client sent, to replay one

/** The server's day through the REST API (the admin's view of the same rows). */
async function serverDay() {
  return api.get(`/api/companies/${company.id}/registers/${register.id}/days/${DATE}`);
}

async function replicaDay() {
  const view = await loadView(company.id);
  return { view, day: view.days.get(dayKey(register.id, DATE)), flows: flowsOfDay(view, register.id, DATE) };
}

const byId = (lines, key) => Object.fromEntries((lines ?? []).map((l) => [String(l[key]), l.amount]));

/** Another till of the same register: its own device id, its own mutation numbers, raw wire calls. */
function otherTill() {
  const id = newUuid();
  let next = 0;
  return {
    id,
    push: (name, args) => api.post('/api/sync/push', {
      schema: 1, company_id: company.id, device_id: id,
      mutations: [{ id: (next += 1), name, args, client_time: new Date().toISOString() }],
    }),
    pull: () => api.post('/api/sync/pull', { schema: 1, company_id: company.id, device_id: id, cookie: null }),
  };
}

function assertReplicaEqualsServer(day, flows, server) {
  assert.ok(day, 'the day is in the replica');
  assert.equal(day.local, undefined, 'the day comes from the server, not from a pending write');
  assert.equal(day.id, server.id);
  assert.equal(day.revision, server.revision);
  assert.equal(day.status, server.status);
  assert.equal(day.z_number, server.z_number);
  assert.equal(day.sales_count, server.sales_count);
  assert.equal(day.comment, server.comment);
  for (const key of ['payments', 'opening', 'counts']) assert.deepEqual(byId(day[key], 'method_id'), byId(server[key], 'method_id'), key);
  assert.deepEqual(byId(day.sales, 'category_id'), byId(server.sales, 'category_id'), 'sales');
  assert.deepEqual(flows.map((f) => f.id).sort(), server.flows.map((f) => f.id).sort());
  for (const flow of flows) {
    const twin = server.flows.find((f) => f.id === flow.id);
    assert.equal(flow.amount, twin.amount);
    assert.equal(flow.kind, twin.kind);
    assert.ok(!flow.pending, 'no flow is still pending');
  }
}

before(async () => {
  if (skip) return;
  configureApi({ url: URL, token: TOKEN });
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    if (String(url).endsWith('/api/sync/push')) pushes.push(JSON.parse(init.body));
    return realFetch(url, init);
  };
  const me = await api.get('/api/me');
  company = me.companies.find((c) => c.registers?.length);
  assert.ok(company, 'the token\'s user works for a company with a register');
  register = company.registers[0];
  device = await deviceId();
  // First contact: the settings arrive in the replica.
  await syncCompany(company.id, device);
  const view = await loadView(company.id);
  categories = [...(view.entities.category?.values() ?? [])].sort((a, b) => a.position - b.position);
  methods = Object.fromEntries([...(view.entities.payment_method?.values() ?? [])].map((m) => [m.kind, m]));
  assert.ok(categories.length >= 2 && methods.cash && methods.card, 'the company has categories, cash and card');
});

test('offline mutations (day.put + flow.add) are pushed, the outbox empties, the replica equals the server', { skip }, async () => {
  const put = dayPut(register.id, DATE, 0, {
    z_number: 'Z-LIVE-1',
    sales_count: 42,
    sales: [{ category_id: categories[0].id, amount: '300.00' }, { category_id: categories[1].id, amount: '84.50' }],
    payments: [{ method_id: methods.cash.id, amount: '184.50' }, { method_id: methods.card.id, amount: '200.00' }],
    opening: [{ method_id: methods.cash.id, amount: '150.00' }],
  });
  const expense = flowAdd(register.id, DATE, { kind: 'expense', amount: '12.40', method_id: methods.cash.id, label: 'Levure', vat_bp: 550 });
  const deposit = flowAdd(register.id, DATE, { kind: 'deposit', amount: '100.00', method_id: methods.cash.id, slip_number: 'B-77' });
  const rows = await enqueue(company.id, [put, expense, deposit]);
  assert.deepEqual(rows.map((r) => r.id), [1, 2, 3], 'a new device numbers its mutations from 1');
  // Before the push the screens already show it (rebase of replica + outbox).
  const offline = await replicaDay();
  assert.equal(offline.day.z_number, 'Z-LIVE-1');
  assert.equal(offline.flows.filter((f) => f.pending).length, 2);

  const result = await syncCompany(company.id, device);
  assert.equal(result.pushed, 3);
  assert.equal(await pendingCount(company.id), 0, 'the outbox is empty');
  const state = await counters(company.id, device);
  assert.equal(state.server_last, rows.at(-1).id);
  assert.deepEqual(await openRejections(company.id), []);

  const server = await serverDay();
  assert.equal(server.z_number, 'Z-LIVE-1');
  assert.equal(server.flows.length, 2);
  const { day, flows } = await replicaDay();
  assertReplicaEqualsServer(day, flows, server);
  const cash = server.balances.find((b) => b.method_id === methods.cash.id);
  assert.equal(cash.expected, '222.10'); // 150 + 184,50 − 12,40 − 100

  // A second round brings nothing new and sends nothing.
  const again = await syncCompany(company.id, device);
  assert.equal(again.pushed, 0);
});

test('a stale write is rejected, kept for the conflicts screen, and the replica shows the server\'s value', { skip }, async () => {
  const before = await replicaDay();
  const seen = before.day.revision;
  // Another till writes the comment first, on the revision it read.
  const till = otherTill();
  const theirs = await till.push('day.put', { register_id: register.id, date: DATE, base_revision: seen, fields: { comment: 'Écart : pièce refusée' } });
  assert.equal(theirs.results[0].status, 'applied');

  // This device, still on the old revision, writes the same field.
  const [mine] = await enqueue(company.id, dayPut(register.id, DATE, seen, { comment: 'Écart de rendu de monnaie' }));
  assert.equal((await replicaDay()).day.comment, 'Écart de rendu de monnaie', 'shown while pending');
  await syncCompany(company.id, device);
  assert.equal(await pendingCount(company.id), 0, 'a rejected mutation leaves the outbox');

  const [rejection, ...others] = await openRejections(company.id);
  assert.deepEqual(others, []);
  assert.equal(rejection.mutation_id, mine.id);
  assert.equal(rejection.code, 'stale_revision');
  assert.equal(rejection.args.fields.comment, 'Écart de rendu de monnaie', 'what was typed is kept');
  assert.equal(rejection.server_value.fields.comment, 'Écart : pièce refusée');
  assert.ok(rejection.message, 'with a French message');

  const server = await serverDay();
  assert.equal(server.comment, 'Écart : pièce refusée');
  const { day, flows } = await replicaDay();
  assertReplicaEqualsServer(day, flows, server);

  // The other till's own write is not a conflict for it; its pull lists no rejection.
  const page = await till.pull();
  assert.deepEqual(page.rejections, []);
  assert.equal(page.last_mutation_id, 1);
});

test('re-sending a batch already processed is harmless', { skip }, async () => {
  const first = pushes.find((body) => body.mutations.some((m) => m.name === 'flow.add'));
  assert.ok(first, 'a batch with flows was pushed');
  const serverBefore = await serverDay();
  const state = await counters(company.id, device);

  const answer = await api.post('/api/sync/push', first);
  assert.deepEqual(answer.results.map((r) => r.status), first.mutations.map(() => 'duplicate'));
  assert.equal(answer.last_mutation_id, state.server_last);
  const serverAfter = await serverDay();
  assert.equal(serverAfter.revision, serverBefore.revision);
  assert.deepEqual(serverAfter.flows.map((f) => f.id).sort(), serverBefore.flows.map((f) => f.id).sort());
  assert.equal(serverAfter.z_number, serverBefore.z_number);
  assert.equal(serverAfter.comment, serverBefore.comment);

  // The client itself re-sending (e.g. its answer was lost): same ids go out again, nothing changes.
  await db.queue.bulkAdd(first.mutations.map((m) => ({ company_id: company.id, device_id: device, ...m })));
  assert.equal(await pendingCount(company.id), first.mutations.length);
  await syncCompany(company.id, device);
  assert.deepEqual(await pending(company.id), []);
  const serverFinal = await serverDay();
  assert.equal(serverFinal.revision, serverBefore.revision);
  assert.equal(serverFinal.flows.length, serverBefore.flows.length);
  assert.equal((await openRejections(company.id)).length, 1, 'no new rejection');
});

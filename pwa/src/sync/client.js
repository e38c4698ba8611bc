// One sync round for one company: push the outbox, then pull the changes into the replica
// (wire format: docs/ARCHITECTURE.md § Sync). Network calls happen strictly outside
// IndexedDB transactions; each answer is then written in one transaction.
import { db, write, syncState, saveSyncState, counters, saveCounters } from '../db.js';
import { api } from '../api.js';
import { pending, acknowledge } from './outbox.js';

export const PUSH_LIMIT = 50;
export const PULL_LIMIT = 500;
const MAX_PUSH_ROUNDS = 20;
const MAX_PULL_PAGES = 200;

// A request that hangs (a dead Wi-Fi, a proxy that never answers) must not hold the sync loop:
// it is abandoned after this long, counted as a network failure and retried with the backoff.
let requestTimeoutMs = 45000;

/** For tests: how long one push or pull request may take. */
export function setRequestTimeout(ms) {
  requestTimeoutMs = ms;
}

const bounded = () => ({ signal: AbortSignal.timeout(requestTimeoutMs) });

function refOf(entity, data) {
  if ((entity === 'day' || entity === 'flow') && data && data.register_id != null && data.date) {
    return `${data.register_id}|${data.date}`;
  }
  return undefined;
}

/** Rejections are numbered by the device's mutation ids: kept per (company, device, mutation). */
async function keepRejection(companyId, deviceId, r) {
  const existing = await db.conflicts.get([companyId, deviceId, r.mutation_id]);
  // A local decision (« Ressaisir » / « Abandonner ») survives later pulls of the same rejection.
  await db.conflicts.put({ ...existing, ...r, company_id: companyId, device_id: deviceId, local: existing?.local ?? null });
}

/** Push pending mutations, batch after batch. Returns the number of mutations the server processed. */
export async function push(companyId, deviceId) {
  let processed = 0;
  for (let round = 0; round < MAX_PUSH_ROUNDS; round += 1) {
    const batch = await pending(companyId, deviceId, PUSH_LIMIT);
    if (batch.length === 0) break;
    const body = {
      schema: 1,
      company_id: companyId,
      device_id: deviceId,
      mutations: batch.map(({ id, name, args, client_time }) => ({ id, name, args, client_time })),
    };
    const answer = await api.post('/api/sync/push', body, bounded());
    const last = Number(answer?.last_mutation_id ?? 0);
    await write([db.meta, db.queue, db.conflicts], async () => {
      for (const result of answer?.results ?? []) {
        if (result.status !== 'rejected') continue;
        const mutation = batch.find((m) => m.id === result.id);
        await keepRejection(companyId, deviceId, {
          mutation_id: result.id,
          name: mutation?.name,
          args: mutation?.args,
          code: result.code,
          message: result.message,
          server_value: result.server_value ?? null,
          resolution: null,
        });
      }
      await acknowledge(companyId, deviceId, last);
      const state = await counters(companyId, deviceId);
      await saveCounters(companyId, deviceId, { ...state, server_last: Math.max(state.server_last ?? 0, last) });
    });
    const done = batch.filter((m) => m.id <= last).length;
    processed += done;
    // A gap or a batch the server did not advance on: stop here, the pull below tells where it stands.
    if (done === 0 || answer?.gap_at != null || batch.length < PUSH_LIMIT) break;
  }
  return processed;
}

/** Write one pull page into the replica (and the device's acknowledgements), in one transaction. */
export async function applyPull(companyId, page, deviceId) {
  await write([db.meta, db.queue, db.entities, db.conflicts], async () => {
    for (const change of page.changes ?? []) {
      const key = [change.entity, String(change.id)];
      if (change.op === 'del') {
        await db.entities.delete(key);
      } else {
        await db.entities.put({
          entity: change.entity,
          id: String(change.id),
          company_id: companyId,
          ref: refOf(change.entity, change.data),
          data: change.data,
        });
      }
    }
    for (const r of page.rejections ?? []) await keepRejection(companyId, deviceId, r);
    const last = Number(page.last_mutation_id ?? 0);
    await acknowledge(companyId, deviceId, last);
    const mine = await counters(companyId, deviceId);
    await saveCounters(companyId, deviceId, { ...mine, server_last: Math.max(mine.server_last ?? 0, last) });
    const state = await syncState(companyId);
    await saveSyncState(companyId, { ...state, cookie: page.cookie ?? state.cookie ?? null });
  });
}

/** Drop the replica of a company (pull answered `reset: true`); the outbox stays. */
export async function resetReplica(companyId) {
  await write([db.meta, db.entities], async () => {
    await db.entities.where('company_id').equals(companyId).delete();
    const state = await syncState(companyId);
    await saveSyncState(companyId, { ...state, cookie: null });
  });
}

/** Pull every page since the stored cookie. Returns the number of changes received. */
export async function pull(companyId, deviceId) {
  let received = 0;
  let resets = 0;
  for (let page = 0; page < MAX_PULL_PAGES; page += 1) {
    const state = await syncState(companyId);
    const answer = await api.post('/api/sync/pull', {
      schema: 1,
      company_id: companyId,
      device_id: deviceId,
      cookie: state.cookie ?? null,
      limit: PULL_LIMIT,
    }, bounded());
    if (answer?.reset) {
      resets += 1;
      if (resets > 2) throw new Error('pull reset loop');
      await resetReplica(companyId);
      continue;
    }
    await applyPull(companyId, answer, deviceId);
    received += answer?.changes?.length ?? 0;
    if (!answer?.more) break;
  }
  return received;
}

/** Push then pull; stamps the time of the last complete round. */
export async function syncCompany(companyId, deviceId, now = () => Date.now()) {
  const pushed = await push(companyId, deviceId);
  const pulled = await pull(companyId, deviceId);
  const state = await syncState(companyId);
  await saveSyncState(companyId, { ...state, synced_at: now() });
  return { pushed, pulled };
}

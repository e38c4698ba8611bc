// The one module that owns IndexedDB. Versions form a ladder: never edit a published
// version, add the next one (with an upgrade function when rows must change shape).
// Never await the network inside a transaction: IndexedDB commits a transaction as soon as
// it has nothing to do, so a fetch inside it ends it (jakearchibald/idb README).
import Dexie from 'dexie';
import { newUuid } from './sync/mutations.js';

export const db = new Dexie('caisse');

db.version(1).stores({
  // {key, value}: session, me, device_id, selection, sync:<company_id>
  meta: 'key',
  // {company_id, id, name, args, client_time}; id = per (device, company) increasing integer
  outbox: '[company_id+id], company_id',
  // {entity, id, company_id, ref, data}; ref = "<register_id>|<date>" for days and flows
  entities: '[entity+id], [company_id+entity], ref, company_id',
  // {company_id, mutation_id, name, args, code, message, server_value, resolution, local}
  rejections: '[company_id+mutation_id], company_id',
});

// v2: one device id per user of the installation (the server binds a device id to the first user
// who pushes with it). Mutation ids are numbered per (device, company), so the outbox needs the device
// in its key: IndexedDB cannot change a primary key, hence the new `queue` table, filled here from
// `outbox` (whose rows all belong to the legacy installation-wide device id); rejections are numbered
// by the same ids, so they move to `conflicts` the same way. The legacy id and its counters go to the
// user stored in the session, if any; else the first user to log in adopts them.
db.version(2).stores({
  // {company_id, device_id, id, name, args, client_time}; id = per (device, company) increasing integer
  queue: '[company_id+device_id+id], company_id, device_id',
  // {company_id, device_id, mutation_id, name, args, code, message, server_value, resolution, local}
  conflicts: '[company_id+device_id+mutation_id], company_id',
}).upgrade(async (tx) => {
  const meta = tx.table('meta');
  const legacyRow = await meta.get('device_id');
  const rows = await tx.table('outbox').toArray();
  const rejected = await tx.table('rejections').toArray();
  let legacy = legacyRow?.value ?? null;
  if (!legacy && rows.length + rejected.length > 0) {
    legacy = newUuid();
    await meta.put({ key: 'device_id', value: legacy });
  }
  if (!legacy) return;
  await tx.table('queue').bulkAdd(rows.map((row) => ({ ...row, device_id: legacy })));
  await tx.table('conflicts').bulkAdd(rejected.map((row) => ({ ...row, device_id: legacy })));
  for (const row of await meta.where('key').startsWith('sync:').toArray()) {
    const { last_assigned: lastAssigned = 0, server_last: serverLast = 0 } = row.value ?? {};
    const companyId = row.key.slice('sync:'.length);
    await meta.put({ key: `counter:${legacy}:${companyId}`, value: { last_assigned: lastAssigned, server_last: serverLast } });
  }
  const userId = (await meta.get('session'))?.value?.user?.id;
  if (userId != null) {
    await meta.put({ key: `device_id:${userId}`, value: legacy });
    await meta.delete('device_id');
  }
});

db.version(3).stores({ outbox: null, rejections: null });

export class StorageFullError extends Error {
  constructor(cause) {
    super('Espace de stockage plein — vos saisies précédentes sont conservées');
    this.name = 'StorageFullError';
    this.cause = cause;
  }
}

/**
 * A quota error arrives as an AbortError on the transaction (its `inner`/`cause` carries the
 * QuotaExceededError); Safari aborts with no cause at all. We never abort transactions
 * ourselves, so an AbortError without a cause is taken as storage full.
 */
export function isQuotaError(error) {
  let e = error;
  for (let depth = 0; e && depth < 5; depth += 1) {
    if (e.name === 'QuotaExceededError' || e.code === 22 || e.code === 1014) return true;
    const inner = e.inner ?? e.cause ?? null;
    if (e.name === 'AbortError' && !inner) return true;
    e = inner;
  }
  return false;
}

const storageFullListeners = new Set();
export function onStorageFull(listener) {
  storageFullListeners.add(listener);
  return () => storageFullListeners.delete(listener);
}

/**
 * Run a read-write transaction; a quota failure rolls it back whole (nothing half-written),
 * tells the listeners (the French toast) and rejects with StorageFullError so that callers
 * keep their unsaved edits in memory and try again later.
 */
export async function write(tables, fn) {
  try {
    return await db.transaction('rw', tables, fn);
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    const err = new StorageFullError(error);
    for (const listener of storageFullListeners) listener(err);
    throw err;
  }
}

export async function getMeta(key, fallback = null) {
  const row = await db.meta.get(key);
  return row === undefined ? fallback : row.value;
}

export function setMeta(key, value) {
  return db.meta.put({ key, value });
}

/**
 * The device id (a UUID) of one user of this installation, made once and kept with the data it
 * numbers. The server binds a device id to the first user who pushes with it, so users of a shared
 * till never share one. A legacy installation-wide id not adopted at upgrade (nobody was logged in)
 * goes to the first user who asks, with its queued mutations and counters.
 * Without a user (no session) the installation-wide id is used.
 */
export async function deviceId(userId = null, makeId = newUuid) {
  return db.transaction('rw', db.meta, async () => {
    if (userId == null) {
      const existing = await getMeta('device_id');
      if (existing) return existing;
      const id = makeId();
      await setMeta('device_id', id);
      return id;
    }
    const key = `device_id:${userId}`;
    const existing = await getMeta(key);
    if (existing) return existing;
    const legacy = await getMeta('device_id');
    const id = legacy ?? makeId();
    await setMeta(key, id);
    if (legacy) await db.meta.delete('device_id');
    return id;
  });
}

/** The device id of the user in the session (the installation-wide one without a session). */
export async function currentDeviceId() {
  const session = await getMeta('session');
  return deviceId(session?.user?.id ?? null);
}

/**
 * Per-company sync state: the pull cookie and the time of the last round. The cookie stays per
 * company, shared by the users of the installation: it numbers the company's server version and the
 * replica it describes is company data, not a user's (a user who may not see a company anymore has
 * its replica and cookie pruned at login, see pruneReplica).
 */
export async function syncState(companyId) {
  return getMeta(`sync:${companyId}`, { cookie: null, synced_at: null });
}

/** Per (device, company) mutation counters: last id assigned here, last one the server processed. */
export async function counters(companyId, device) {
  return getMeta(`counter:${device}:${companyId}`, { last_assigned: 0, server_last: 0 });
}

export function saveCounters(companyId, device, value) {
  return setMeta(`counter:${device}:${companyId}`, value);
}

export function saveSyncState(companyId, state) {
  return setMeta(`sync:${companyId}`, state);
}

/** Replica rows of one company, optionally one entity kind. */
export function replicaRows(companyId, entity) {
  if (entity) return db.entities.where('[company_id+entity]').equals([companyId, entity]).toArray();
  return db.entities.where('company_id').equals(companyId).toArray();
}

/**
 * Drop the replica of companies this user may no longer see (another user on a shared till);
 * their sync cookie goes too, so a later access downloads afresh. Outboxes are kept.
 */
export async function pruneReplica(companyIds) {
  await db.transaction('rw', db.entities, db.meta, async () => {
    const gone = new Set();
    await db.entities.where('company_id').noneOf(companyIds).each((row) => gone.add(row.company_id));
    await db.entities.where('company_id').noneOf(companyIds).delete();
    for (const companyId of gone) {
      const state = await syncState(companyId);
      await saveSyncState(companyId, { ...state, cookie: null });
    }
  });
}

/** Everything a logout must forget, except unsent cash entries (they never expire). */
export async function forgetSession() {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.bulkDelete(['session', 'me']);
  });
}

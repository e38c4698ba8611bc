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

/** The installation's device id (a UUID), made once and kept with the data it numbers. */
export async function deviceId(makeId = newUuid) {
  return db.transaction('rw', db.meta, async () => {
    const existing = await getMeta('device_id');
    if (existing) return existing;
    const id = makeId();
    await setMeta('device_id', id);
    return id;
  });
}

/** Per-company sync state: last mutation id assigned here, last processed by the server, cookie. */
export async function syncState(companyId) {
  return getMeta(`sync:${companyId}`, { last_assigned: 0, server_last: 0, cookie: null, synced_at: null });
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

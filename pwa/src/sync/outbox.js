// The outbox: local mutations waiting for the server, per company and per device, in id order.
// Each user of the installation has their own device id (db.js deviceId), so each entry belongs to
// the user who made it: only that user's session sends it. Entries leave only when the server says it
// processed them (applied, duplicate or rejected — a rejection is kept in `rejections` for a person
// to decide). Never expired, not even when another user logs in.
import Dexie from 'dexie';
import { db, write, counters, saveCounters, currentDeviceId } from '../db.js';

const listeners = new Set();

/** Called after every outbox change (the status bar counts, the sync loop wakes up). */
export function onOutboxChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(companyId) {
  for (const listener of listeners) listener(companyId);
}

/**
 * Append mutations `{name, args}` with the next ids of (device, company), in ONE transaction with
 * the counter: an id is never given twice, and a crash leaves either all or none of them.
 * `device` defaults to the session user's device. `alsoWrite(tx)` may add other local writes to the
 * same transaction.
 * @returns the stored rows
 */
export async function enqueue(companyId, mutations, { now = new Date(), alsoWrite, device } = {}) {
  const list = Array.isArray(mutations) ? mutations : [mutations];
  const deviceId = device ?? (await currentDeviceId());
  const rows = await write([db.meta, db.queue, db.entities, db.conflicts], async (tx) => {
    const state = await counters(companyId, deviceId);
    // Never below what the server already processed: a lower id would be skipped as a duplicate.
    let last = Math.max(state.last_assigned ?? 0, state.server_last ?? 0);
    const stored = list.map((m) => {
      last += 1;
      return { company_id: companyId, device_id: deviceId, id: last, name: m.name, args: m.args, client_time: now.toISOString() };
    });
    await db.queue.bulkAdd(stored);
    await saveCounters(companyId, deviceId, { ...state, last_assigned: last });
    if (alsoWrite) await alsoWrite(tx);
    return stored;
  });
  notify(companyId);
  return rows;
}

/**
 * Pending mutations of a company: one device's in id order, or (no device) every user's — the
 * local view shows what any user of this till typed and has not sent yet.
 */
export function pending(companyId, device, limit = Infinity) {
  const query = device == null
    ? db.queue.where('company_id').equals(companyId)
    : db.queue.where('[company_id+device_id+id]').between([companyId, device, Dexie.minKey], [companyId, device, Dexie.maxKey]);
  return Number.isFinite(limit) ? query.limit(limit).toArray() : query.toArray();
}

/** Pending count: of a company (or all), of a device (or all). */
export async function pendingCount(companyId = null, device = null) {
  if (companyId == null && device == null) return db.queue.count();
  if (companyId == null) return db.queue.where('device_id').equals(device).count();
  if (device == null) return db.queue.where('company_id').equals(companyId).count();
  return db.queue.where('company_id').equals(companyId).filter((row) => row.device_id === device).count();
}

/** Entries of the other users of this installation, waiting for them to log in again. */
export async function othersPendingCount(device) {
  return db.queue.where('device_id').notEqual(device).count();
}

/** Companies in which a device has unsent mutations. */
export async function companiesWithPending(device) {
  const ids = new Set();
  await db.queue.where('device_id').equals(device).each((row) => ids.add(row.company_id));
  return [...ids];
}

/** Drop a device's mutations the server has processed (ids <= lastMutationId). Inside a transaction or alone. */
export async function acknowledge(companyId, device, lastMutationId) {
  return db.queue
    .where('[company_id+device_id+id]')
    .between([companyId, device, Dexie.minKey], [companyId, device, lastMutationId], true, true)
    .delete();
}

// The outbox: local mutations waiting for the server, per company, in id order.
// Entries leave only when the server says it processed them (applied, duplicate or
// rejected — a rejection is kept in `rejections` for a person to decide). Never expired.
import Dexie from 'dexie';
import { db, write, syncState, saveSyncState } from '../db.js';

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
 * Append mutations `{name, args}` with the next ids, in ONE transaction with the per-company
 * counter: an id is never given twice, and a crash leaves either all or none of them.
 * `alsoWrite(tx)` may add other local writes to the same transaction.
 * @returns the stored rows
 */
export async function enqueue(companyId, mutations, { now = new Date(), alsoWrite } = {}) {
  const list = Array.isArray(mutations) ? mutations : [mutations];
  const rows = await write([db.meta, db.outbox, db.entities, db.rejections], async (tx) => {
    const state = await syncState(companyId);
    // Never below what the server already processed: a lower id would be skipped as a duplicate.
    let last = Math.max(state.last_assigned ?? 0, state.server_last ?? 0);
    const stored = list.map((m) => {
      last += 1;
      return { company_id: companyId, id: last, name: m.name, args: m.args, client_time: now.toISOString() };
    });
    await db.outbox.bulkAdd(stored);
    await saveSyncState(companyId, { ...state, last_assigned: last });
    if (alsoWrite) await alsoWrite(tx);
    return stored;
  });
  notify(companyId);
  return rows;
}

/** Pending mutations of a company, oldest first. */
export function pending(companyId, limit = Infinity) {
  const query = db.outbox.where('[company_id+id]').between([companyId, Dexie.minKey], [companyId, Dexie.maxKey]);
  return Number.isFinite(limit) ? query.limit(limit).toArray() : query.toArray();
}

export function pendingCount(companyId) {
  if (companyId == null) return db.outbox.count();
  return db.outbox.where('company_id').equals(companyId).count();
}

/** Drop the mutations the server has processed (ids <= lastMutationId). Call inside a transaction or alone. */
export async function acknowledge(companyId, lastMutationId) {
  const removed = await db.outbox
    .where('[company_id+id]')
    .between([companyId, Dexie.minKey], [companyId, lastMutationId], true, true)
    .delete();
  return removed;
}


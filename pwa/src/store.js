// What the screens read: the rebased view of a company (replica + pending mutations),
// plus the list of rejections to show. Reads only; writes go through sync/outbox.js.
import { db, syncState, replicaRows, counters } from './db.js';
import { pending, companiesWithPending } from './sync/outbox.js';
import { rebase } from './sync/rebase.js';

/**
 * One consistent read of the replica and the outbox, rebased. The outbox of every user of this
 * till is shown (what a colleague typed and has not sent yet is still the shop's day); each device's
 * entries the server already processed are left out.
 */
export async function loadView(companyId) {
  return db.transaction('r', db.entities, db.queue, db.meta, async () => {
    const [rows, all, state] = await Promise.all([replicaRows(companyId), pending(companyId), syncState(companyId)]);
    const processed = new Map();
    for (const device of new Set(all.map((m) => m.device_id))) {
      processed.set(device, (await counters(companyId, device)).server_last ?? 0);
    }
    const queue = all.filter((m) => m.id > processed.get(m.device_id));
    const view = rebase(rows, queue, 0);
    view.companyId = companyId;
    view.pendingCount = queue.length;
    view.syncedAt = state.synced_at ?? null;
    view.hasReplica = rows.length > 0;
    return view;
  });
}

/** Rejections nobody decided on yet (neither the admin on the server nor here). */
export async function openRejections(companyId) {
  const all = await db.conflicts.where('company_id').equals(companyId).toArray();
  return all.filter((r) => !r.resolution && !r.local).sort((a, b) => a.mutation_id - b.mutation_id);
}

/** Rejections an admin decided on (the outcome the till shows), most recent mutation first. */
export async function decidedRejections(companyId) {
  const all = await db.conflicts.where('company_id').equals(companyId).toArray();
  return all.filter((r) => r.resolution && !r.local).sort((a, b) => b.mutation_id - a.mutation_id);
}

/** Companies to sync: the selected one plus any where this device (user) has unsent mutations. */
export async function companiesToSync(selectedId, device) {
  const ids = new Set();
  if (selectedId != null) ids.add(selectedId);
  for (const id of await companiesWithPending(device)) ids.add(id);
  return [...ids];
}

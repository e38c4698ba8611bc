// What the screens read: the rebased view of a company (replica + pending mutations),
// plus the list of rejections to show. Reads only; writes go through sync/outbox.js.
import { db, syncState, replicaRows } from './db.js';
import { pending } from './sync/outbox.js';
import { rebase } from './sync/rebase.js';

/** One consistent read of the replica and the outbox, rebased. */
export async function loadView(companyId) {
  return db.transaction('r', db.entities, db.outbox, db.meta, async () => {
    const [rows, queue, state] = await Promise.all([replicaRows(companyId), pending(companyId), syncState(companyId)]);
    const view = rebase(rows, queue, state.server_last ?? 0);
    view.companyId = companyId;
    view.pendingCount = queue.length;
    view.syncedAt = state.synced_at ?? null;
    view.hasReplica = rows.length > 0;
    return view;
  });
}

/** Rejections nobody decided on yet (neither the admin on the server nor here). */
export async function openRejections(companyId) {
  const all = await db.rejections.where('company_id').equals(companyId).toArray();
  return all.filter((r) => !r.resolution && !r.local).sort((a, b) => a.mutation_id - b.mutation_id);
}

/** Companies to sync: the selected one plus any with unsent mutations. */
export async function companiesToSync(selectedId) {
  const ids = new Set();
  if (selectedId != null) ids.add(selectedId);
  await db.outbox.each((row) => ids.add(row.company_id));
  return [...ids];
}

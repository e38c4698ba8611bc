// The view the screens show = the server's replica + the still-pending local mutations replayed
// on top (the Replicache "rebase"). Pure: no IndexedDB, no clock, inputs are never mutated.
//
// Invariants:
// 1. A mutation whose id is <= the server's last processed id is already inside the replica: skip it.
// 2. Pending mutations are replayed in id order, exactly like the server will apply them.
// 3. What the server would refuse for sure (writing into a closed day) is not shown as applied:
//    its id is listed in `doomed` so the screens can say so.

export function dayKey(registerId, date) {
  return `${registerId}|${date}`;
}

function emptyDay(registerId, date) {
  return {
    id: null,
    register_id: registerId,
    date,
    status: 'open',
    revision: 0,
    z_number: '',
    sales_count: null,
    sales: [],
    payments: [],
    opening: [],
    counts: [],
    comment: '',
    local: true,
  };
}

function ensureDay(days, registerId, date) {
  const key = dayKey(registerId, date);
  let day = days.get(key);
  if (!day) {
    day = emptyDay(registerId, date);
    days.set(key, day);
  }
  return day;
}

function replace(days, day, patch) {
  const next = { ...day, ...patch };
  days.set(dayKey(day.register_id, day.date), next);
  return next;
}

/** Apply one mutation to the view (mutates the maps passed in, which rebase owns). */
export function applyMutation(view, mutation) {
  const { name, args } = mutation;
  const day = ensureDay(view.days, args.register_id, args.date);
  const pending = (day.pending ?? 0) + 1;
  if (day.status === 'closed' && name !== 'day.reopen') {
    view.doomed.push(mutation.id);
    return;
  }
  if (name === 'day.put') {
    replace(view.days, day, { ...args.fields, pending });
  } else if (name === 'flow.add') {
    const flow = { ...args.flow, day_id: day.id, register_id: args.register_id, date: args.date, pending: true };
    view.flows.set(flow.id, flow);
    replace(view.days, day, { pending });
  } else if (name === 'day.close') {
    replace(view.days, day, { status: 'closed', pending, closing: true });
  } else if (name === 'day.reopen') {
    replace(view.days, day, { status: 'open', pending });
  }
}

/**
 * @param rows     replica rows `{entity, id, data}`
 * @param pending  outbox rows `{id, name, args}` (any order)
 * @param lastMutationId the server's last processed mutation id for this device and company
 * @returns {{days: Map, flows: Map, entities: Object<string, Map>, doomed: number[]}}
 */
export function rebase(rows, pending, lastMutationId = 0) {
  const view = { days: new Map(), flows: new Map(), entities: {}, doomed: [] };
  for (const row of rows) {
    if (row.entity === 'day') {
      view.days.set(dayKey(row.data.register_id, row.data.date), { ...row.data });
    } else if (row.entity === 'flow') {
      view.flows.set(String(row.data.id ?? row.id), { ...row.data });
    } else {
      (view.entities[row.entity] ??= new Map()).set(String(row.id), row.data);
    }
  }
  const todo = pending.filter((m) => m.id > lastMutationId).sort((a, b) => a.id - b.id);
  for (const mutation of todo) applyMutation(view, mutation);
  return view;
}

/** The flows of one day, in entry order (server time, then pending ones after). */
export function flowsOfDay(view, registerId, date) {
  const out = [];
  for (const flow of view.flows.values()) {
    if (flow.register_id === registerId && flow.date === date) out.push(flow);
  }
  return out.sort((a, b) => {
    if (Boolean(a.pending) !== Boolean(b.pending)) return a.pending ? 1 : -1;
    return String(a.created_at ?? '').localeCompare(String(b.created_at ?? ''));
  });
}

/** Days of one register, most recent first. */
export function daysOfRegister(view, registerId) {
  return [...view.days.values()]
    .filter((d) => d.register_id === registerId)
    .sort((a, b) => b.date.localeCompare(a.date));
}

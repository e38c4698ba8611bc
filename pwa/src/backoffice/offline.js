// Reading the back office offline: what the till syncs (the company, its registers, categories, payment
// methods, customers, suppliers and calendar) is read from the IndexedDB replica when the network is off or
// a fetch fails on the network; the screen then shows one notice (« données de la dernière synchronisation,
// modification impossible »). What is never synced (members, tokens, audit, budget, conflicts to arbitrate)
// says « Indisponible hors ligne » instead of looking empty.
import { h } from '../lib/dom.js';
import { ApiError } from '../api.js';
import { replicaRows } from '../db.js';

export const STALE_TEXT = 'Hors ligne : données de la dernière synchronisation, modification impossible.';
export const UNAVAILABLE_TEXT = 'Indisponible hors ligne';

/** Thrown when there is no network and no local copy of what was asked. */
export class UnavailableOffline extends Error {
  constructor() {
    super(UNAVAILABLE_TEXT);
    this.name = 'UnavailableOffline';
  }
}

export function isNetworkError(error) {
  return error instanceof ApiError ? error.status === 0 : error instanceof TypeError;
}

/** The network failed or is off: the caller may fall back on the replica or say « Indisponible hors ligne ». */
export function isOfflineFailure(error) {
  return error instanceof UnavailableOffline || isNetworkError(error) || !navigator.onLine;
}

/** The screen-level notice, hidden until a section reads the replica (`markStale`). */
export function staleNotice() {
  return h('p', { class: 'notice', role: 'status', testid: 'stale-notice', hidden: true }, STALE_TEXT);
}

export function staleShown() {
  const notice = document.querySelector('[data-testid="stale-notice"]');
  return Boolean(notice && !notice.hidden);
}

function markStale() {
  const notice = document.querySelector('[data-testid="stale-notice"]');
  if (notice) notice.hidden = false;
}

/**
 * `fetcher()` from the server; offline or on a network failure, `fallback()` from the replica (the screen's
 * notice is then shown). Without a fallback, or with an empty replica, UnavailableOffline is thrown.
 */
export async function readOrReplica(fetcher, fallback) {
  if (navigator.onLine) {
    try {
      return await fetcher();
    } catch (error) {
      if (!isNetworkError(error)) throw error;
    }
  }
  const local = fallback ? await fallback() : null;
  if (local === null || local === undefined) throw new UnavailableOffline();
  markStale();
  return local;
}

/** The synced rows of one entity, in the server's list order (position, else name, then id); null if none. */
export async function replicaList(companyId, entity) {
  const rows = (await replicaRows(companyId, entity)).map((row) => row.data).filter(Boolean);
  if (!rows.length) return null;
  const key = (r) => (r.position ?? r.name ?? r.label ?? '');
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return typeof ka === 'number' ? ka - kb : String(ka).localeCompare(String(kb), 'fr');
    return Number(a.id) - Number(b.id);
  });
}

/** The one synced row of an entity (the company, the calendar), or null. */
export async function replicaOne(companyId, entity, id = null) {
  const rows = await replicaRows(companyId, entity);
  const row = id === null ? rows[0] : rows.find((r) => String(r.id) === String(id));
  return row?.data ?? null;
}

/** « Indisponible hors ligne » with what it is about, in place of a list that could not be read. */
export function unavailable(what, testid = 'unavailable-offline') {
  return h('p', { class: 'notice', role: 'status', testid }, `${UNAVAILABLE_TEXT} : ${what}`);
}

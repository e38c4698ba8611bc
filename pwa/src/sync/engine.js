// When to sync: one run at a time (and one tab at a time, through Web Locks), retries with
// capped exponential backoff, a periodic tick, and a status the bar shows. The browser
// triggers (online, visibility, Background Sync) live in triggers.js.
import { createBackoff, isRetryable, PERIODIC_MS } from './backoff.js';
import { syncCompany } from './client.js';

/**
 * @param deps {{companies: () => Promise<number[]>, deviceId: () => Promise<string>,
 *               pendingCount: () => Promise<number>, othersPending?: () => Promise<number>,
 *               isOnline?: () => boolean,
 *               setTimer?: Function, clearTimer?: Function, random?: () => number, now?: () => number}}
 */
export function createEngine(deps) {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t));
  const now = deps.now ?? (() => Date.now());
  const isOnline = deps.isOnline ?? (() => true);
  const backoff = createBackoff(deps.random);
  const statusListeners = new Set();
  const dataListeners = new Set();
  const status = { online: isOnline(), pending: 0, others: 0, error: null, syncing: false, lastSyncAt: null, sessionExpired: false };
  // An offline start still says when this device last synced (stored per company).
  deps.lastSyncedAt?.().then((at) => {
    if (at && !status.lastSyncAt) {
      status.lastSyncAt = at;
      emit();
    }
  }).catch(() => {});
  let running = null;
  let again = false;
  let timer = null;
  let stopped = false;
  let reachable = true; // the server answered the last time we asked
  const online = () => isOnline() && reachable;

  function emit() {
    for (const listener of statusListeners) listener({ ...status });
  }

  async function refreshPending() {
    status.pending = await deps.pendingCount();
    status.others = deps.othersPending ? await deps.othersPending() : 0;
    status.online = online();
    emit();
  }

  function schedule(ms) {
    if (stopped) return;
    if (timer) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      request('timer');
    }, ms);
  }

  async function runOnce() {
    const companies = await deps.companies();
    const deviceId = await deps.deviceId();
    let changed = false;
    for (const companyId of companies) {
      const result = await syncCompany(companyId, deviceId, now);
      changed = changed || result.pulled > 0 || result.pushed > 0;
    }
    return { changed, synced: companies.length > 0 };
  }

  async function run() {
    status.syncing = true;
    status.online = online();
    emit();
    let delay = PERIODIC_MS;
    try {
      const locks = globalThis.navigator?.locks;
      const { changed, synced } = locks ? await locks.request('caisse-sync', runOnce) : await runOnce();
      backoff.success();
      reachable = true;
      Object.assign(status, { error: null, sessionExpired: false, online: true });
      if (synced) status.lastSyncAt = now();
      for (const listener of dataListeners) listener({ changed });
    } catch (error) {
      reachable = error?.status !== 0;
      if (error?.status === 401) {
        status.sessionExpired = true;
      } else if (error?.status === 0) {
        status.online = false;
      } else {
        status.error = error?.message || 'Erreur inconnue';
        console.warn('sync failed', error?.status ?? '', error?.code ?? error?.name);
      }
      // Refusals (4xx) are retried too, more slowly: unsent cash entries are never dropped.
      delay = status.sessionExpired ? PERIODIC_MS : backoff.failure() * (isRetryable(error) ? 1 : 2);
      if (!status.sessionExpired) delay = Math.min(delay, 60000);
    } finally {
      status.syncing = false;
      await refreshPending();
      schedule(delay);
    }
  }

  /** Ask for a sync now; calls while one runs fold into one more run after it. */
  function request(_reason) {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await run();
      } while (again && !stopped);
      running = null;
    })();
    return running;
  }

  return {
    request,
    refreshPending,
    status: () => ({ ...status }),
    onStatus(listener) {
      statusListeners.add(listener);
      listener({ ...status });
      return () => statusListeners.delete(listener);
    },
    onData(listener) {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    /** The browser says the network is back (or gone). Back: the next retries start short again. */
    setOnline(value) {
      if (value) backoff.success();
      status.online = value && reachable;
      emit();
    },
    stop() {
      stopped = true;
      if (timer) clearTimer(timer);
    },
  };
}

// « Mise à jour disponible — Recharger »: a new service worker waits until the user accepts,
// and is let in only once the outbox is empty (old pages must not meet new code half-way
// through sending cash entries).
import { Workbox } from 'workbox-window';
import { h, mount } from '../lib/dom.js';
import { SYNC_TAG } from '../sw-policy.js';

/**
 * @param deps {{pendingCount: () => Promise<number>, requestSync: () => Promise<void>,
 *               onOutboxEmpty: (cb: () => void) => () => void}}
 */
export function startUpdates(banner, deps) {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return null;
  const wb = new Workbox('/sw.js', { scope: '/' });
  let accepted = false;
  let stopWaiting = null;

  function apply() {
    accepted = true;
    mount(banner, h('p', {}, 'Mise à jour en cours…'));
    wb.messageSkipWaiting(); // posts {type: 'SKIP_WAITING'} to the waiting worker
  }

  async function onReload() {
    const pending = await deps.pendingCount();
    if (pending === 0) {
      apply();
      return;
    }
    const what = pending === 1
      ? '1 modification n’est pas encore envoyée au serveur : la mise à jour attendra son envoi.'
      : `${pending} modifications ne sont pas encore envoyées au serveur : la mise à jour attendra leur envoi.`;
    mount(banner,
      h('p', { testid: 'update-waiting' }, `${what} Restez connecté à Internet.`),
      reloadButton());
    deps.requestSync();
    stopWaiting?.();
    stopWaiting = deps.onOutboxEmpty(async () => {
      // The status may lag behind IndexedDB: ask the outbox itself before letting the new worker in.
      if (accepted || (await deps.pendingCount()) > 0) return;
      stopWaiting?.();
      stopWaiting = null;
      apply();
    });
  }

  function reloadButton() {
    return h('button', { type: 'button', class: 'button primary', testid: 'update-reload', onclick: onReload }, 'Recharger');
  }

  function show() {
    banner.hidden = false;
    mount(banner, h('p', {}, 'Mise à jour disponible — '), reloadButton());
  }

  wb.addEventListener('waiting', show);
  wb.addEventListener('controlling', (event) => {
    if (accepted || event.isUpdate) window.location.reload();
  });
  wb.register().catch((error) => console.warn('service worker registration failed', error?.name));
  // Long-lived tills: look for a new version every hour and when the app comes back.
  setInterval(() => wb.update().catch(() => {}), 60 * 60 * 1000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') wb.update().catch(() => {});
  });
  return wb;
}

/** Ask the service worker for a Background Sync of the outbox (Chromium only; a bonus). */
export async function registerBackgroundSync() {
  try {
    if (!('serviceWorker' in navigator)) return;
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration && 'sync' in registration) await registration.sync.register(SYNC_TAG);
  } catch (error) {
    console.warn('background sync unavailable', error?.name);
  }
}

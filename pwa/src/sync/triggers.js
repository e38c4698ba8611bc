// Browser events that start a sync: load, `online`, back to the foreground, the service
// worker's Background Sync relay, every local change; the 30 s tick lives in the engine.
import { onOutboxChange } from './outbox.js';
import { registerBackgroundSync } from '../components/update.js';

export function installTriggers(engine) {
  window.addEventListener('online', () => {
    engine.setOnline(true);
    engine.request('online');
  });
  window.addEventListener('offline', () => engine.setOnline(false));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') engine.request('visible');
  });
  navigator.serviceWorker?.addEventListener('message', (event) => {
    if (event.data?.type === 'SYNC_REQUESTED') engine.request('background-sync');
  });
  onOutboxChange(() => {
    engine.refreshPending();
    // Offline, the browser wakes the worker when the network is back (Chromium), even if
    // this page is gone; online, we simply push now.
    if (navigator.onLine) engine.request('change');
    else registerBackgroundSync();
  });
  // Server unreachable with changes waiting: let the browser wake us when the network is back.
  let registered = false;
  engine.onStatus((s) => {
    if (!s.online && s.pending > 0 && !registered) {
      registered = true;
      registerBackgroundSync();
    } else if (s.online) {
      registered = false;
    }
  });
  engine.request('load');
}

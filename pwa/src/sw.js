// Service worker (injectManifest): precached app shell, SPA navigation fallback, update on
// the user's word only, Background Sync relay. The API is never cached nor intercepted.
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL } from 'workbox-precaching';
import { registerRoute, NavigationRoute } from 'workbox-routing';
import { bypassesWorker, SYNC_TAG } from './sw-policy.js';

// Registered first: anything that is not a same-origin GET outside /api/ leaves this worker
// untouched (no respondWith), so the browser goes to the network as if we were not here.
self.addEventListener('fetch', (event) => {
  if (bypassesWorker(event.request.method, event.request.url, self.location.origin)) event.stopImmediatePropagation();
});

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Every in-app navigation gets the precached index.html (the app routes on the hash).
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api(\/|$)/] }));

// No skipWaiting on install: old HTML must never meet new JavaScript. The page sends this
// message when the user clicks « Recharger » and nothing waits in the outbox.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

// First install only (no previous worker): take the open page so it works offline at once.
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

// Background Sync (Chromium): the outbox lives in the page's IndexedDB code, so ask the open
// pages to push; with no page open, the next visit syncs on load.
self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
      for (const client of clients) client.postMessage({ type: 'SYNC_REQUESTED' });
    }),
  );
});

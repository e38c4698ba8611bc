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

// Web Push (alerts): show the French notification the server sent; a click opens the related day.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Caisse : nouvelle alerte';
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || 'Une alerte demande votre attention.',
    tag: data.tag || undefined,
    lang: 'fr',
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    data: { url: data.url || '/#/alerts', alert_id: data.alert_id ?? null },
  }));
});

/** Focus an open window of the app and take it to the notification's page, else open one. */
async function openFromNotification(notification) {
  const target = new URL(notification.data?.url || '/#/alerts', self.location.origin);
  const url = target.origin === self.location.origin ? target.href : new URL('/#/alerts', self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== self.location.origin) continue;
    const focused = await client.focus().catch(() => client); // focus needs the click's user activation
    try {
      await focused.navigate(url);
      return;
    } catch {
      // not controlled by this worker yet: open a window below
    }
  }
  await self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openFromNotification(event.notification));
});

// The browser test calls this with a shown notification: a synthetic notificationclick cannot waitUntil.
self.caisseOpenFromNotification = openFromNotification;

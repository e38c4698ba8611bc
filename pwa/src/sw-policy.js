// What the service worker may answer: same-origin GET requests outside /api/. Everything
// else goes to the network untouched (no respondWith). Pure, tested with node --test.

export const SYNC_TAG = 'caisse-outbox';

export function bypassesWorker(method, url, origin) {
  const target = new URL(url, origin);
  return method !== 'GET' || target.origin !== origin || target.pathname === '/api' || target.pathname.startsWith('/api/');
}

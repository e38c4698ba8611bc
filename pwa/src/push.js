// Web Push on this device: subscribe / unsubscribe with the server's VAPID key, and the open-alert
// count of the navigation badge. The notifications themselves are shown by the service worker (sw.js).
import { api } from './api.js';

export function pushSupported() {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator
    && typeof window !== 'undefined' && 'PushManager' in window && 'Notification' in window;
}

/** base64url → Uint8Array (applicationServerKey). */
export function keyBytes(base64url) {
  const padded = `${base64url}${'='.repeat((4 - (base64url.length % 4)) % 4)}`.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function registration() {
  return navigator.serviceWorker.ready;
}

export async function currentSubscription() {
  if (!pushSupported()) return null;
  return (await registration()).pushManager.getSubscription();
}

/**
 * Ask permission, subscribe with the server's key, register the subscription on the server.
 * Returns {ok: true} or {ok: false, reason: 'unsupported'|'denied'|'failed', message}.
 */
export async function enablePush() {
  if (!pushSupported()) return { ok: false, reason: 'unsupported', message: 'Cet appareil ne reçoit pas les notifications push.' };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    return { ok: false, reason: 'denied', message: 'Notifications refusées : autorisez-les dans les réglages du navigateur.' };
  }
  try {
    const { public_key: key } = await api.get('/api/push/vapid-public-key');
    const reg = await registration();
    const sub = (await reg.pushManager.getSubscription())
      ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
    await api.post('/api/push/subscriptions', { ...sub.toJSON(), user_agent: navigator.userAgent.slice(0, 300) });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: 'failed', message: error?.message || 'Abonnement impossible sur cet appareil.' };
  }
}

export async function disablePush() {
  const sub = await currentSubscription();
  if (!sub) return;
  try {
    await api.del('/api/push/subscriptions', { body: { endpoint: sub.endpoint } });
  } catch (error) {
    if (error?.status !== 404) throw error;
  }
  await sub.unsubscribe();
}

let lastCount = null;

/** Open alerts of the companies the user sees (null when the server cannot be reached). */
export async function openAlertCount() {
  try {
    const summary = await api.get('/api/alerts/summary');
    lastCount = summary?.total ?? 0;
  } catch {
    // offline: keep the last known figure
  }
  return lastCount;
}

/** Keep the navigation badge up to date: now, every minute, when back online, and on demand. */
export function startAlertBadge(layout, everyMs = 60000) {
  const refresh = async () => layout.setAlertCount?.(await openAlertCount());
  refresh();
  const timer = setInterval(refresh, everyMs);
  window.addEventListener('online', refresh);
  window.addEventListener('caisse:alerts-changed', refresh);
  return () => {
    clearInterval(timer);
    window.removeEventListener('online', refresh);
    window.removeEventListener('caisse:alerts-changed', refresh);
  };
}

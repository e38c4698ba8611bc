// Text of the always-visible sync status bar. Pure: the state and the clock come in.

function pad(n) {
  return String(n).padStart(2, '0');
}

/** « 18:42 » in the device's local time. */
export function clockTime(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function pendingText(count) {
  if (!count) return 'Aucune modification en attente';
  return count === 1 ? '1 modification en attente' : `${count} modifications en attente`;
}

/** Entries typed on this till by another user, sent when that user logs in again. */
export function othersText(count) {
  if (!count) return '';
  return count === 1
    ? '1 saisie d’un autre utilisateur en attente'
    : `${count} saisies d’un autre utilisateur en attente`;
}

/** « Synchronisé à 18:42 » today, « Synchronisé le 21/11 à 18:42 » another day. */
export function syncedText(at, now) {
  const d = new Date(at);
  const n = new Date(now);
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? `Synchronisé à ${clockTime(d)}` : `Synchronisé le ${pad(d.getDate())}/${pad(d.getMonth() + 1)} à ${clockTime(d)}`;
}

/**
 * @param s {{online: boolean, pending: number, others?: number, error: string|null, syncing: boolean,
 *            lastSyncAt: number|null, sessionExpired?: boolean}}
 * @returns {{state: string, text: string, detail: string}}
 */
export function syncStatus(s, now = Date.now()) {
  const view = ownStatus(s, now);
  const others = othersText(s.others ?? 0);
  if (others) view.detail = view.detail ? `${view.detail} · ${others}` : others;
  return view;
}

function ownStatus(s, now) {
  const pending = s.pending ?? 0;
  if (!s.online) {
    return { state: 'offline', text: 'Hors ligne', detail: pending ? pendingText(pending) : 'Vos saisies sont enregistrées sur cet appareil' };
  }
  if (s.sessionExpired) {
    return { state: 'error', text: 'Session expirée — reconnectez-vous', detail: pending ? pendingText(pending) : '' };
  }
  if (s.error) {
    return { state: 'error', text: 'Erreur de synchronisation', detail: s.error };
  }
  if (pending > 0) {
    return { state: 'pending', text: pendingText(pending), detail: s.syncing ? 'Envoi en cours…' : '' };
  }
  if (s.syncing && !s.lastSyncAt) return { state: 'syncing', text: 'Synchronisation…', detail: '' };
  if (s.lastSyncAt) {
    return { state: 'synced', text: syncedText(s.lastSyncAt, now), detail: '' };
  }
  return { state: 'never', text: 'Pas encore synchronisé', detail: '' };
}

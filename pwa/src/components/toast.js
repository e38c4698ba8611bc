// The one error path of the UI: a toast (polite live region) and a log line without amounts.
import { h } from '../lib/dom.js';

let region = null;
// Errors whose message is written in French for the user (the others are programming errors).
const FRENCH_ERRORS = new Set(['ApiError', 'StorageFullError', 'DomainError', 'MoneyError', 'InputError']);

export function toastRegion() {
  region = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite', testid: 'toasts' });
  return region;
}

export function toast(message, { kind = 'info', timeout = 6000 } = {}) {
  if (!region) return;
  const item = h('div', { class: `toast toast-${kind}`, testid: 'toast' }, message);
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Fermer le message', onclick: () => item.remove() }, '×');
  item.append(close);
  region.append(item);
  if (timeout) setTimeout(() => item.remove(), timeout);
}

/** Show an error to the user in French, log only its kind (never amounts nor bodies). */
export function showError(error, fallback = 'Une erreur est survenue.') {
  console.warn('ui error', error?.name, error?.status ?? '', error?.code ?? '');
  const french = error?.messageFr ?? (FRENCH_ERRORS.has(error?.name) ? error.message : null);
  toast(french || fallback, { kind: 'error' });
}

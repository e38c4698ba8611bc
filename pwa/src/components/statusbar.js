// The sync status bar, always on screen once logged in: « 3 modifications en attente »,
// « Synchronisé à 18:42 », « Hors ligne », « Erreur de synchronisation », and never a green
// « Synchronisé » while a conflict waits: « 1 conflit à traiter » links to the conflicts screen.
import { h, mount } from '../lib/dom.js';
import { syncStatus } from '../sync/status.js';
import { href } from '../router.js';

export function conflictText(n) {
  return n === 1 ? '1 conflit à traiter' : `${n} conflits à traiter`;
}

export function statusBar(engine) {
  const text = h('span', { class: 'sync-text', testid: 'sync-status' });
  const count = h('span', { class: 'badge', testid: 'pending-count' }, '0');
  const detail = h('span', { class: 'sync-detail', testid: 'sync-detail' });
  const conflicts = h('a', { class: 'conflict-link', href: href.conflicts(), testid: 'status-conflicts', hidden: true });
  const button = h('button', {
    type: 'button',
    class: 'button small',
    testid: 'sync-now',
    onclick: () => engine.request('button'),
  }, 'Synchroniser');
  const relogin = h('a', { class: 'button small', href: href.login(), testid: 'relogin', hidden: true }, 'Se reconnecter');
  const bar = h('footer', { class: 'statusbar', role: 'contentinfo' },
    h('div', { class: 'sync-state', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      text,
      detail,
    ),
    conflicts,
    h('span', { class: 'pending', title: 'Modifications en attente d’envoi' },
      h('span', { class: 'visually-hidden' }, 'Modifications en attente : '),
      count),
    relogin,
    button,
  );
  let last = null;
  let conflictCount = 0;

  function draw() {
    if (!last) return;
    const view = syncStatus(last);
    const waiting = conflictCount > 0 && (view.state === 'synced' || view.state === 'never');
    bar.dataset.state = waiting ? 'conflict' : view.state;
    text.textContent = view.text;
    mount(detail, view.detail ? ` · ${view.detail}` : '');
    conflicts.hidden = conflictCount === 0;
    conflicts.textContent = conflictCount ? conflictText(conflictCount) : '';
    count.textContent = String(last.pending ?? 0);
    button.disabled = last.syncing;
    relogin.hidden = !last.sessionExpired;
  }

  engine.onStatus((s) => {
    last = s;
    draw();
  });
  return {
    el: bar,
    setConflicts(n) {
      conflictCount = n;
      draw();
    },
    /** The login screens show no sync state: nothing is synced before a session exists. */
    setLoggedIn(loggedIn) {
      bar.hidden = !loggedIn;
    },
  };
}

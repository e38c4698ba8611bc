// The sync status bar, always on screen: « 3 modifications en attente », « Synchronisé à 18:42 »,
// « Hors ligne », « Erreur de synchronisation ».
import { h, mount } from '../lib/dom.js';
import { syncStatus } from '../sync/status.js';
import { href } from '../router.js';

export function statusBar(engine) {
  const text = h('span', { class: 'sync-text', testid: 'sync-status' });
  const count = h('span', { class: 'badge', testid: 'pending-count' }, '0');
  const detail = h('span', { class: 'sync-detail' });
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
    h('span', { class: 'pending', title: 'Modifications en attente d’envoi' },
      h('span', { class: 'visually-hidden' }, 'Modifications en attente : '),
      count),
    relogin,
    button,
  );

  engine.onStatus((s) => {
    const view = syncStatus(s);
    bar.dataset.state = view.state;
    text.textContent = view.text;
    mount(detail, view.detail ? ` · ${view.detail}` : '');
    count.textContent = String(s.pending ?? 0);
    button.disabled = s.syncing;
    relogin.hidden = !s.sessionExpired;
  });
  return bar;
}

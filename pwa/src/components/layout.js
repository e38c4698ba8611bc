// The frame around every screen: banner with navigation, update banner, main, status bar, toasts.
import { h } from '../lib/dom.js';
import { href } from '../router.js';
import { statusBar } from './statusbar.js';
import { toastRegion } from './toast.js';

const LINKS = [
  { name: 'home', label: 'Accueil', to: href.home() },
  { name: 'history', label: 'Historique', to: href.history() },
  { name: 'alerts', label: 'Alertes', to: href.alerts() },
  { name: 'conflicts', label: 'Conflits', to: href.conflicts() },
  { name: 'companies', label: 'Sociétés', to: href.companies(), roles: ['firm_admin'] },
  { name: 'firm', label: 'Tableau de bord', to: href.firm(), roles: ['firm_admin'] },
  { name: 'reports', label: 'Rapports', to: href.reports(), roles: ['admin', 'firm_admin'] },
  { name: 'settings', label: 'Réglages', to: href.settings(), roles: ['admin', 'firm_admin'] },
  { name: 'team', label: 'Équipe', to: href.team(), roles: ['admin', 'firm_admin'] },
  { name: 'arbitration', label: 'Conflits à arbitrer', to: href.arbitration(), roles: ['admin', 'firm_admin'] },
  { name: 'audit', label: 'Journal d’audit', to: href.audit(), roles: ['admin', 'firm_admin'] },
  { name: 'till', label: 'Liaison caisse', to: href.till(), roles: ['admin', 'firm_admin'] },
  { name: 'export', label: 'Export comptable', to: href.export(), roles: ['admin', 'firm_admin'] },
  { name: 'help', label: 'Aide', to: href.help() },
];

export function createLayout(root, engine) {
  const links = LINKS.map((link) => h('a', { href: link.to, 'data-route': link.name, testid: `nav-${link.name}` }, link.label));
  const items = links.map((a, i) => h('li', { hidden: Boolean(LINKS[i].roles) }, a));
  const nav = h('nav', { class: 'nav', 'aria-label': 'Navigation principale' }, h('ul', {}, items));
  const context = h('p', { class: 'context', testid: 'context' });
  const header = h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('a', { href: href.home(), class: 'brand-link' }, 'Caisse'), context),
    nav,
  );
  const updateBanner = h('div', {
    class: 'update-banner',
    role: 'region',
    'aria-label': 'Mise à jour de l’application',
    'aria-live': 'polite',
    testid: 'update-banner',
    hidden: true,
  });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const status = statusBar(engine);
  root.replaceChildren(header, updateBanner, main, status.el, toastRegion());

  return {
    main,
    updateBanner,
    /** Highlight the current screen; hide the navigation on the login screens. */
    setRoute(name, loggedIn) {
      nav.hidden = !loggedIn;
      status.setLoggedIn(loggedIn && name !== 'login' && name !== 'activate');
      document.body.dataset.route = name;
      for (const a of links) {
        if (a.dataset.route === name) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
    /** Show the links reserved to some roles (the export: admins and firm admins) for the selected company. */
    setRole(role) {
      LINKS.forEach((link, i) => {
        if (link.roles) items[i].hidden = !link.roles.includes(role);
      });
    },
    setContext(textValue) {
      context.textContent = textValue ?? '';
    },
    setAlertCount(n) {
      const a = links.find((l) => l.dataset.route === 'alerts');
      a.textContent = n ? `Alertes (${n})` : 'Alertes';
    },
    setConflictCount(n) {
      const a = links.find((l) => l.dataset.route === 'conflicts');
      a.textContent = n ? `Conflits (${n})` : 'Conflits';
      status.setConflicts(n);
    },
  };
}

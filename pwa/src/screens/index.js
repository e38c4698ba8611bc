// Route name → screen. A screen is `async (main, params, ctx) => cleanup?`.
import { h, mount } from '../lib/dom.js';
import { href } from '../router.js';
import { renderLogin } from './login.js';
import { renderHome } from './home.js';
import { renderDay } from './day.js';
import { renderHistory } from './history.js';
import { renderAlertCentre } from './alert-centre.js';
import { renderConflicts } from './conflicts.js';
import { renderHelp } from './help.js';

function renderNotFound(main) {
  mount(main, h('h1', {}, 'Page introuvable'), h('p', {}, h('a', { href: href.home() }, 'Retour à l’accueil')));
}

function renderForbidden(main) {
  mount(main, h('h1', {}, 'Accès réservé'),
    h('p', { testid: 'forbidden' }, 'Cet écran est réservé aux administrateurs de la société ou du cabinet.'),
    h('p', {}, h('a', { href: href.home() }, 'Retour à l’accueil')));
}

export const SCREENS = {
  login: renderLogin,
  activate: renderLogin,
  home: renderHome,
  day: renderDay,
  history: renderHistory,
  alerts: renderAlertCentre,
  conflicts: renderConflicts,
  help: renderHelp,
  export: (...args) => import('./export.js').then((m) => m.renderExport(...args)),
  // Back office: separate chunks, fetched only when an admin opens them (the cashier's first load stays small).
  settings: (...args) => import('../backoffice/settings.js').then((m) => m.render(...args)),
  team: (...args) => import('../backoffice/team.js').then((m) => m.render(...args)),
  arbitration: (...args) => import('../backoffice/arbitration.js').then((m) => m.render(...args)),
  audit: (...args) => import('../backoffice/audit.js').then((m) => m.render(...args)),
  companies: (...args) => import('../backoffice/companies.js').then((m) => m.render(...args)),
  reports: (...args) => import('../reports/reports.js').then((m) => m.render(...args)),
  firm: (...args) => import('../reports/firm-dashboard.js').then((m) => m.render(...args)),
  till: (...args) => import('../till/till.js').then((m) => m.render(...args)),
  forbidden: renderForbidden,
  notfound: renderNotFound,
};

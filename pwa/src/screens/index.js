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
  notfound: renderNotFound,
};

// The company the back office works on: the one selected on the home screen.
import { h, mount } from '../lib/dom.js';
import { cachedMe, getSelection, companyOf } from '../session.js';

export async function currentCompany() {
  const me = await cachedMe();
  const selection = await getSelection();
  return { me, company: companyOf(me, selection.company_id) };
}

export const base = (company) => `/api/companies/${company.id}`;

/** Title + the company's name, or a note when no company is selected (null returned). */
export async function header(main, title, ...rest) {
  const { me, company } = await currentCompany();
  if (!company) {
    mount(main, h('h1', {}, title), h('p', {}, 'Aucune société sélectionnée.'));
    return null;
  }
  mount(main, h('h1', {}, title), h('p', { class: 'lead' }, company.name), ...rest);
  return { me, company };
}

/** Server timestamps (UTC) in the device's time, in French. */
export function dateTimeFr(iso) {
  if (!iso) return '—';
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
}

/** A secret shown once (activation code, API token), with what to do with it. */
export function shownOnce(title, secret, ...explain) {
  return h('div', { class: 'card notice', role: 'status', testid: 'shown-once' },
    h('h3', {}, title),
    h('p', {}, h('span', { class: 'code-once', testid: 'secret-value' }, secret)),
    h('p', {}, 'Ce code ne sera plus jamais affiché : notez-le maintenant.'), ...explain);
}

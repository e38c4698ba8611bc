// « Rapports » (admins and firm admins): monthly synthesis, day, fiscal year with N-1 and budget, customer
// credit and gift vouchers. The report, month, register and N-1 mode live in the hash query (report-query.js).
// Online only: the figures come from the server (sealed days, open days marked « provisoire »).
import { h, mount, field, select } from '../lib/dom.js';
import { api } from '../api.js';
import { go } from '../router.js';
import { cachedMe, companyOf, getSelection } from '../session.js';
import { todayIso } from '../lib/dates.js';
import { disposeCharts } from './charts.js';
import { monthlyView } from './monthly-view.js';
import { dailyView, ledgerView, yearView } from './other-views.js';
import { KINDS, N1_MODES, reportHash, reportState, shiftMonthText } from './report-query.js';

const VIEWS = { mensuel: monthlyView, journee: dailyView, exercice: yearView, credits: ledgerView };

function controls(state, company, goTo) {
  const registers = [{ value: 'all', label: 'Toutes les caisses' },
    ...(company.registers ?? []).map((r) => ({ value: r.id, label: r.name }))];
  const registerSelect = select(registers, state.register, {
    testid: 'report-register', onchange: (e) => goTo({ register: e.target.value === 'all' ? 'all' : Number(e.target.value) }),
  });
  const monthInput = h('input', {
    type: 'month', value: state.month, testid: 'report-month', min: '2000-01', max: '2100-12',
    onchange: (e) => { if (/^\d{4}-\d{2}$/.test(e.target.value)) goTo({ month: e.target.value, year: null }); },
  });
  const out = [
    state.kind !== 'credits' ? field('Caisse', registerSelect) : null,
    state.kind === 'journee'
      ? field('Journée', h('input', { type: 'date', value: state.date, testid: 'report-date',
        onchange: (e) => { if (e.target.value) goTo({ date: e.target.value, month: e.target.value.slice(0, 7) }); } }))
      : h('div', { class: 'field month-field' }, field('Mois', monthInput),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button small', testid: 'report-prev', 'aria-label': 'Mois précédent',
            onclick: () => goTo({ month: shiftMonthText(state.month, -1), year: null }) }, '‹'),
          h('button', { type: 'button', class: 'button small', testid: 'report-next', 'aria-label': 'Mois suivant',
            onclick: () => goTo({ month: shiftMonthText(state.month, 1), year: null }) }, '›'))),
    state.kind === 'mensuel' ? field('Comparaison', select(N1_MODES, state.n1, {
      testid: 'report-n1', onchange: (e) => goTo({ n1: e.target.value }) }),
    { hint: 'Mêmes jours de semaine : un samedi face au samedi de l’an dernier (364 jours plus tôt).' }) : null,
  ];
  return h('div', { class: 'report-controls' }, out);
}

export async function render(main, params, ctx) {
  const state = reportState(params, ctx.route.query ?? {}, todayIso());
  const [me, selection] = [await cachedMe(), await getSelection()];
  const company = companyOf(me, selection.company_id);
  if (!company) {
    mount(main, h('h1', {}, 'Rapports'), h('p', { class: 'notice' }, 'Choisissez d’abord une société.'));
    return null;
  }
  const goTo = (patch) => {
    const next = reportHash({ ...state, ...patch });
    if (next !== location.hash) go(next); // a second `change` of the same value must not redraw under the reader
  };
  const body = h('div', { class: 'report-body', testid: 'report-body', 'aria-live': 'polite' }, h('p', {}, 'Chargement…'));
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'report-error', hidden: true });
  const onError = (e) => { error.textContent = e.message; error.hidden = false; };
  mount(main, h('h1', {}, 'Rapports'), h('p', { class: 'lead' }, company.name),
    h('nav', { class: 'report-tabs actions', 'aria-label': 'Choix du rapport' }, KINDS.map((k) => h('a', {
      href: reportHash({ ...state, kind: k.value }), class: `button small${k.value === state.kind ? ' primary' : ''}`,
      'aria-current': k.value === state.kind ? 'page' : null, testid: `report-tab-${k.value}`,
    }, k.label))),
    controls(state, company, goTo), error, body);
  try {
    const settings = state.kind === 'exercice' ? await api.get(`/api/companies/${company.id}`) : null;
    await VIEWS[state.kind](body, { company, state, settings, onError });
  } catch (e) {
    mount(body, h('p', { class: 'form-error', role: 'alert' }, e.message));
  }
  return () => disposeCharts(main);
}

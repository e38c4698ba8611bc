// Historique: a month calendar of the days — ouverte, clôturée, or manquante on an opening day
// of the calendar — with each day's revenue and difference and the month's totals, for the
// selected register or for all registers of the company.
import { h, mount, select } from '../lib/dom.js';
import { getSelection, setSelection, cachedMe, companyOf } from '../session.js';
import { money } from '../cash.js';
import { daySettings } from '../day/evaluate.js';
import { plural } from '../day/words.js';
import { monthFigures } from './history-figures.js';
import { loadView } from '../store.js';
import * as settings from '../lib/settings.js';
import { calendarOf, dayStatus, STATUS_LABELS } from '../lib/calendar.js';
import { monthWeeks, shiftMonth, todayIso, MONTHS_FR, formatDateFr } from '../lib/dates.js';
import { daysOfRegister } from '../sync/rebase.js';
import { href } from '../router.js';

const MARKS = { closed: '✓', open: '✎', missing: '!', off: '–', future: '', today: '•' };
const WEEKDAYS = [['lun.', 'lundi'], ['mar.', 'mardi'], ['mer.', 'mercredi'], ['jeu.', 'jeudi'],
  ['ven.', 'vendredi'], ['sam.', 'samedi'], ['dim.', 'dimanche']];

// « Toutes les caisses » or one register: kept while the app runs.
let scope = null;

function cell(date, status, registerId, figures) {
  if (!date) return h('td', { class: 'empty', 'aria-hidden': 'true' });
  const day = Number(date.slice(8));
  const diff = figures?.difference;
  const label = `${formatDateFr(date)} : ${STATUS_LABELS[status]}${figures ? `, CA ${money(figures.revenue)}` : ''}${diff ? `, écart ${money(diff)}` : ''}`;
  const content = [h('span', { class: 'num', 'aria-hidden': 'true' }, String(day)),
    h('span', { class: `pill pill-${status}`, 'aria-hidden': 'true' }, STATUS_LABELS[status]),
    h('span', { class: `mark mark-${status}`, 'aria-hidden': 'true' }, MARKS[status]),
    figures ? h('span', { class: 'cal-revenue', 'aria-hidden': 'true', testid: `cal-revenue-${date}` }, money(figures.revenue)) : null,
    figures ? h('span', { class: 'cal-revenue-short', 'aria-hidden': 'true' }, `${Math.round(figures.revenue / 100).toLocaleString('fr-FR')} €`) : null,
    diff ? h('span', { class: 'cal-diff', 'aria-hidden': 'true', testid: `cal-diff-${date}` }, money(diff)) : null,
    h('span', { class: 'visually-hidden' }, label)];
  const linkable = registerId !== null && status !== 'future' && status !== 'off';
  return h('td', { class: `cal status-${status}`, testid: `cal-${date}`, 'data-status': status },
    linkable ? h('a', { href: href.day(registerId, date) }, content) : h('span', {}, content));
}

export async function renderHistory(main, params, ctx) {
  const today = todayIso();
  const year = params.year ?? Number(today.slice(0, 4));
  const month = params.month ?? Number(today.slice(5, 7));
  let disposed = false;

  async function draw() {
    const selection = await getSelection();
    if (selection.company_id == null || selection.register_id == null) {
      mount(main, h('h1', {}, 'Historique'), h('p', {}, 'Choisissez d’abord une caisse sur l’accueil.'));
      return;
    }
    const view = await loadView(selection.company_id);
    if (disposed) return;
    const companyRow = settings.company(view, selection.company_id);
    const company = companyOf(await cachedMe(), selection.company_id);
    const registers = company?.registers ?? [];
    const all = scope === 'all' && registers.length > 1;
    const registerIds = all ? registers.map((r) => r.id) : [selection.register_id];
    // Each register with its own calendar (a market stall open on Saturdays only is not missing on Tuesdays).
    const perRegister = registerIds.map((id) => ({
      days: new Map(daysOfRegister(view, id).map((d) => [d.date, d])),
      calendar: calendarOf(companyRow, settings.calendarRows(view), settings.register(view, id)),
    }));
    const statusOf = (date) => {
      const statuses = perRegister.map(({ days, calendar }) => dayStatus(days.get(date), calendar, date, today));
      for (const s of ['missing', 'open', 'today', 'closed', 'future', 'off']) if (statuses.includes(s)) return s;
      return statuses[0];
    };
    const weeksDates = monthWeeks(year, month);
    const s = { ...daySettings(view, selection.company_id, selection.register_id),
      registers: new Map(registers.map((r) => [String(r.id), settings.register(view, r.id) ?? r])) };
    const figures = monthFigures(view, s, registerIds, weeksDates.flat().filter(Boolean));
    const counts = { open: 0, closed: 0, missing: 0 };
    const weeks = weeksDates.map((week) => h('tr', {}, week.map((date) => {
      const status = date ? statusOf(date) : null;
      if (status in counts) counts[status] += 1;
      return cell(date, status, all ? null : selection.register_id, date ? figures.byDate.get(date) : null);
    })));
    const t = figures.totals;
    const scopeSelect = registers.length > 1 ? select(
      [...registers.map((r) => ({ value: r.id, label: r.name })), { value: 'all', label: 'Toutes les caisses' }],
      all ? 'all' : selection.register_id, { testid: 'history-scope', id: 'history-scope' }) : null;
    scopeSelect?.addEventListener('change', async () => {
      scope = scopeSelect.value === 'all' ? 'all' : null;
      if (scope !== 'all') await setSelection(selection.company_id, Number(scopeSelect.value));
      draw();
    });
    const prev = shiftMonth(year, month, -1);
    const next = shiftMonth(year, month, 1);
    const title = `${MONTHS_FR[month - 1]} ${year}`;
    mount(main,
      h('h1', {}, 'Historique'),
      h('nav', { class: 'month-nav', 'aria-label': 'Changer de mois' },
        h('a', { href: href.history(prev.year, prev.month), testid: 'prev-month', 'aria-label': `Mois précédent : ${MONTHS_FR[prev.month - 1]}` }, `← ${MONTHS_FR[prev.month - 1]}`),
        h('h2', { testid: 'month-title' }, title),
        h('a', { href: href.history(next.year, next.month), testid: 'next-month', 'aria-label': `Mois suivant : ${MONTHS_FR[next.month - 1]}` }, `${MONTHS_FR[next.month - 1]} →`)),
      scopeSelect ? h('div', { class: 'field scope' }, h('label', { for: 'history-scope' }, 'Caisse'), scopeSelect) : null,
      h('p', { testid: 'month-summary' },
        `${plural(counts.closed, 'journée clôturée', 'journées clôturées')}, ${plural(counts.open, 'ouverte')}, ${plural(counts.missing, 'manquante')}.`),
      h('dl', { class: 'totals month-totals', testid: 'month-totals' },
        h('div', {}, h('dt', {}, 'Chiffre d’affaires TTC'), h('dd', { testid: 'month-revenue' }, money(t.revenue))),
        h('div', {}, h('dt', {}, 'Nombre de ventes'), h('dd', { testid: 'month-sales' }, String(t.salesCount))),
        h('div', {}, h('dt', {}, 'Panier moyen'), h('dd', { testid: 'month-basket' }, t.averageBasket === null ? '—' : money(t.averageBasket))),
        h('div', { 'data-state': t.difference ? 'error' : 'ok' }, h('dt', {}, 'Somme des écarts'), h('dd', { testid: 'month-difference' }, money(t.difference)))),
      h('table', { class: 'calendar', testid: 'calendar' },
        h('caption', { class: 'visually-hidden' }, `Journées de caisse, ${title}`),
        h('thead', {}, h('tr', {}, WEEKDAYS.map(([short, long]) => h('th', { scope: 'col', abbr: long }, short)))),
        h('tbody', {}, weeks)),
      h('p', { class: 'legend' },
        ['closed', 'open', 'missing', 'off'].map((s) => h('span', { class: `pill pill-${s}` }, `${MARKS[s]} ${STATUS_LABELS[s]}`))));
  }
  await draw();
  const stop = ctx.engine.onData((e) => e.changed && !disposed && draw());
  return () => {
    disposed = true;
    stop();
  };
}

// Historique: a month calendar of the selected register's days — ouverte, clôturée, or
// manquante on an opening day of the calendar.
import { h, mount } from '../lib/dom.js';
import { getSelection } from '../session.js';
import { loadView } from '../store.js';
import * as settings from '../lib/settings.js';
import { calendarOf, dayStatus, STATUS_LABELS } from '../lib/calendar.js';
import { monthWeeks, shiftMonth, todayIso, MONTHS_FR, formatDateFr } from '../lib/dates.js';
import { daysOfRegister } from '../sync/rebase.js';
import { href } from '../router.js';

const MARKS = { closed: '✓', open: '✎', missing: '!', off: '–', future: '', today: '•' };
const WEEKDAYS = [['lun.', 'lundi'], ['mar.', 'mardi'], ['mer.', 'mercredi'], ['jeu.', 'jeudi'],
  ['ven.', 'vendredi'], ['sam.', 'samedi'], ['dim.', 'dimanche']];

function cell(date, status, registerId) {
  if (!date) return h('td', { class: 'empty', 'aria-hidden': 'true' });
  const day = Number(date.slice(8));
  const label = `${formatDateFr(date)} : ${STATUS_LABELS[status]}`;
  const content = [h('span', { class: 'num', 'aria-hidden': 'true' }, String(day)),
    h('span', { class: `pill pill-${status}`, 'aria-hidden': 'true' }, STATUS_LABELS[status]),
    h('span', { class: `mark mark-${status}`, 'aria-hidden': 'true' }, MARKS[status]),
    h('span', { class: 'visually-hidden' }, label)];
  const linkable = status !== 'future' && status !== 'off';
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
    const calendar = calendarOf(settings.company(view, selection.company_id), settings.calendarRows(view));
    const days = new Map(daysOfRegister(view, selection.register_id).map((d) => [d.date, d]));
    const counts = { open: 0, closed: 0, missing: 0 };
    const weeks = monthWeeks(year, month).map((week) => h('tr', {}, week.map((date) => {
      const status = date ? dayStatus(days.get(date), calendar, date, today) : null;
      if (status in counts) counts[status] += 1;
      return cell(date, status, selection.register_id);
    })));
    const prev = shiftMonth(year, month, -1);
    const next = shiftMonth(year, month, 1);
    const title = `${MONTHS_FR[month - 1]} ${year}`;
    mount(main,
      h('h1', {}, 'Historique'),
      h('nav', { class: 'month-nav', 'aria-label': 'Changer de mois' },
        h('a', { href: href.history(prev.year, prev.month), testid: 'prev-month', 'aria-label': `Mois précédent : ${MONTHS_FR[prev.month - 1]}` }, `← ${MONTHS_FR[prev.month - 1]}`),
        h('h2', { testid: 'month-title' }, title),
        h('a', { href: href.history(next.year, next.month), testid: 'next-month', 'aria-label': `Mois suivant : ${MONTHS_FR[next.month - 1]}` }, `${MONTHS_FR[next.month - 1]} →`)),
      h('p', { testid: 'month-summary' },
        `${counts.closed} clôturée(s), ${counts.open} ouverte(s), ${counts.missing} manquante(s).`),
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

// Réglages › Calendrier: the weekly pattern and a month view where a click toggles an exceptional opening
// or closing; the same month view for a register's own calendar (Réglages › Caisses › Calendrier).
import { h, mount } from '../lib/dom.js';
import { api } from '../api.js';
import { validateWeeklyPattern } from '../domain/validation.js';
import { buildForm, offlineGuard, OFFLINE_TEXT } from './crud.js';
import { base } from './context.js';
import { toast, showError } from '../components/toast.js';
import { readOrReplica, replicaOne, isOfflineFailure, unavailable } from './offline.js';
import { monthWeeks, shiftMonth, weekdayMondayFirst, todayIso, longDateFr, MONTHS_FR, WEEKDAYS_FR } from '../lib/dates.js';

/**
 * A month of opening days. `load()` → {pattern: [7 booleans], exceptions: [{id, date, is_open, label}]};
 * `toggle(date, exception, openByPattern)` adds or removes the date's exception.
 */
export function monthView({ title, testid, load, toggle }) {
  const now = todayIso();
  let year = Number(now.slice(0, 4));
  let month = Number(now.slice(5, 7));
  const el = h('div', { class: 'cal-month', testid });
  const notice = h('p', { class: 'notice', hidden: true }, OFFLINE_TEXT);
  const guard = h('button', { hidden: true }); // stays disabled offline; its state gates the day buttons
  offlineGuard(el, guard, notice);
  window.addEventListener('online', () => el.isConnected && draw());
  window.addEventListener('offline', () => el.isConnected && draw());
  let state = { pattern: Array(7).fill(true), exceptions: [] };
  let missing = false; // offline with no local copy: say so rather than draw a month of guesses

  async function refresh() {
    try {
      state = await load();
      missing = false;
    } catch (error) {
      missing = isOfflineFailure(error);
      if (!missing) showError(error, 'Le calendrier n’a pas pu être chargé.');
    }
    draw();
  }
  function shift(delta) {
    ({ year, month } = shiftMonth(year, month, delta));
    draw();
  }
  function draw() {
    if (missing) {
      mount(el, title ? h('h3', {}, title) : null, unavailable('les jours exceptionnels ne sont pas gardés sur cet appareil.', `${testid}-unavailable`));
      return;
    }
    const byDate = new Map(state.exceptions.map((e) => [e.date, e]));
    const cell = (date) => {
      if (!date) return h('td', { class: 'empty' });
      const exception = byDate.get(date);
      const byPattern = Boolean(state.pattern[weekdayMondayFirst(date)]);
      const open = exception ? exception.is_open : byPattern;
      const why = exception ? (exception.is_open ? 'Ouverture exceptionnelle' : 'Fermeture exceptionnelle') : (open ? 'Ouvert' : 'Fermé');
      const button = h('button', {
        type: 'button', testid: `cal-day-${date}`, disabled: !navigator.onLine, 'aria-pressed': open ? 'true' : 'false',
        title: exception ? 'Revenir au calendrier habituel' : (open ? 'Fermer exceptionnellement' : 'Ouvrir exceptionnellement'),
        onclick: async () => {
          button.disabled = true;
          try {
            await toggle(date, exception, byPattern);
            toast(exception ? `${longDateFr(date)} : retour au calendrier habituel.` : `${longDateFr(date)} : ${open ? 'fermeture' : 'ouverture'} exceptionnelle.`);
          } catch (error) {
            showError(error);
          }
          refresh();
        },
      }, h('span', { class: 'visually-hidden' }, `${longDateFr(date)} : `), h('span', { class: 'num', 'aria-hidden': 'true' }, Number(date.slice(8))),
      h('span', { class: 'why' }, exception?.label || why));
      return h('td', { class: `${open ? 'open-day' : 'closed-day'}${exception ? ' exception' : ''}` }, button);
    };
    mount(el,
      title ? h('h3', {}, title) : null,
      notice,
      h('div', { class: 'month-nav' },
        h('button', { type: 'button', class: 'button small', testid: `${testid}-prev`, onclick: () => shift(-1) }, '← Mois précédent'),
        h('h4', { testid: `${testid}-month` }, `${MONTHS_FR[month - 1]} ${year}`),
        h('button', { type: 'button', class: 'button small', testid: `${testid}-next`, onclick: () => shift(1) }, 'Mois suivant →')),
      h('table', { class: 'calendar' },
        h('caption', { class: 'visually-hidden' }, `Jours d’ouverture, ${MONTHS_FR[month - 1]} ${year}`),
        h('thead', {}, h('tr', {}, WEEKDAYS_FR.map((d) => h('th', { scope: 'col', abbr: d }, d.slice(0, 3))))),
        h('tbody', {}, monthWeeks(year, month).map((week) => h('tr', {}, week.map(cell))))),
      h('p', { class: 'hint' }, 'Cliquez sur un jour pour l’ouvrir ou le fermer exceptionnellement ; cliquez de nouveau pour revenir au calendrier habituel.'),
      guard);
  }
  refresh();
  return { el, refresh };
}

// A week with no open day would leave no day to enter: refused here before asking the server, which refuses it too.
// The domain's rule (validateWeeklyPattern, held to domain/validation.py by schema/vectors/validation/calendar.json).
const noOpenDay = (values) => {
  const errors = validateWeeklyPattern(values.weekly_pattern);
  return Object.keys(errors).length ? errors : null;
};

export function calendarSection(body, company) {
  const url = `${base(company)}/calendar`;
  const local = () => replicaOne(company.id, 'calendar');
  const month = monthView({
    title: 'Jours exceptionnels', testid: 'company-calendar',
    load: () => readOrReplica(async () => {
      const [pattern, exceptions] = await Promise.all([api.get(url), api.get(`${url}/exceptions`)]);
      return { pattern: pattern.weekly_pattern, exceptions };
    }, async () => {
      const calendar = await local();
      return calendar && { pattern: calendar.weekly_pattern, exceptions: calendar.exceptions ?? [] };
    }),
    toggle: (date, exception, byPattern) => (exception
      ? api.del(`${url}/exceptions/${exception.id}`)
      : api.post(`${url}/exceptions`, { date, is_open: !byPattern, label: byPattern ? 'Fermeture exceptionnelle' : 'Ouverture exceptionnelle' })),
  });
  const weekly = h('div', {}, h('h3', {}, 'Semaine habituelle'));
  readOrReplica(() => api.get(url), local).then((pattern) => {
    weekly.append(buildForm({
      fields: [{ name: 'weekly_pattern', label: 'Jours d’ouverture de la société', type: 'days' }],
      values: pattern, testid: 'weekly-form', validate: noOpenDay,
      save: (values) => api.put(url, values),
      onSaved: () => month.refresh(),
    }).el);
  }).catch((error) => (isOfflineFailure(error) ? weekly.append(unavailable('aucune copie du calendrier sur cet appareil.')) : showError(error)));
  body.append(h('p', { class: 'hint' }, 'Une caisse peut avoir son propre calendrier (Réglages › Caisses › Calendrier).'), weekly, month.el);
}

/** A register's own calendar, shown under the registers list. */
export function registerCalendar(slot, company, register, onChange) {
  const url = `${base(company)}/calendar/registers/${register.id}`;
  let companyPattern = null;
  const month = monthView({
    title: `Jours exceptionnels de « ${register.name} »`, testid: 'register-calendar',
    load: async () => {
      // Offline: the replica's register row (its week) and calendar entity (the registers' own exceptions).
      const local = async () => {
        const [row, calendar] = await Promise.all([replicaOne(company.id, 'register', register.id), replicaOne(company.id, 'calendar')]);
        if (!row || !calendar) return null;
        const exceptions = (calendar.register_exceptions ?? []).filter((ex) => ex.register_id === register.id);
        return { weekly_pattern: row.weekly_pattern ?? null, exceptions, company: { weekly_pattern: calendar.weekly_pattern } };
      };
      const own = await readOrReplica(async () => ({ ...(await api.get(url)), company: await api.get(`${base(company)}/calendar`) }), local);
      companyPattern = own.company.weekly_pattern;
      return { pattern: own.weekly_pattern ?? companyPattern, exceptions: own.exceptions };
    },
    toggle: (date, exception, byPattern) => (exception
      ? api.del(`${url}/exceptions/${exception.id}`)
      : api.post(`${url}/exceptions`, { date, is_open: !byPattern, label: byPattern ? 'Fermeture exceptionnelle' : 'Ouverture exceptionnelle' })),
  });
  const formSlot = h('div', {});
  const ownLocally = async () => {
    const [row, calendar] = await Promise.all([replicaOne(company.id, 'register', register.id), replicaOne(company.id, 'calendar')]);
    companyPattern ??= calendar?.weekly_pattern ?? null;
    return row && { weekly_pattern: row.weekly_pattern ?? null };
  };
  readOrReplica(() => api.get(url), ownLocally).then((own) => {
    const form = buildForm({
      fields: [
        { name: 'own', label: 'Cette caisse a son propre calendrier', type: 'checkbox' },
        { name: 'weekly_pattern', label: 'Jours d’ouverture de la caisse', type: 'days' },
      ],
      values: { own: own.weekly_pattern !== null, weekly_pattern: own.weekly_pattern ?? companyPattern },
      testid: 'register-weekly-form',
      validate: (values) => (values.own ? noOpenDay(values) : null),
      save: (values) => api.put(url, { weekly_pattern: values.own ? values.weekly_pattern : null }),
      onSaved: () => {
        month.refresh();
        onChange();
      },
    });
    formSlot.replaceChildren(form.el);
  }).catch((error) => (isOfflineFailure(error) ? formSlot.replaceChildren(unavailable('aucune copie de cette caisse sur cet appareil.')) : showError(error)));
  mount(slot, h('section', { class: 'card', 'aria-label': `Calendrier de ${register.name}`, testid: `register-calendar-card` },
    h('h3', {}, `Calendrier de « ${register.name} »`), formSlot, month.el));
  slot.scrollIntoView({ block: 'start' });
}

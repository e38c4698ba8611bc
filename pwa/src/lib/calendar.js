// Opening days and the status of each cash day, as shown by the home and history screens.
import { weekdayMondayFirst, addDays } from './dates.js';
import { openingDay } from '../domain/calendar.js';

/**
 * Weekly pattern, Monday first, as 7 booleans: the `weekly_pattern` of the company's calendar entity
 * (schema/pull-calendar.schema.json); Monday to Saturday until the calendar is pulled.
 */
export function weeklyPattern(calendar) {
  const pattern = calendar?.weekly_pattern;
  if (Array.isArray(pattern) && pattern.length === 7) return pattern.map((open) => open === true);
  return [true, true, true, true, true, true, false];
}

/** The calendar entity's dated exceptions (`exceptions: [{id, date, is_open, label}]`), by date. */
export function exceptionsByDate(calendar) {
  return new Map((calendar?.exceptions ?? []).map((ex) => [ex.date, ex]));
}

/**
 * The calendar of a register (or of the company, without one) from the replica's `calendar` rows: the
 * replica is per company and holds one calendar entity (id = the company id, schema/pull-calendar.schema.json)
 * with the company's week and exceptions and every register's own exceptions; a register entity may carry its
 * own `weekly_pattern` (null: the company's).
 */
export function calendarOf(_company, calendarRows, register = null) {
  const calendar = (calendarRows ?? [])[0] ?? null;
  const own = register?.weekly_pattern;
  const ownExceptions = (calendar?.register_exceptions ?? []).filter((ex) => register && ex.register_id === register.id);
  return {
    pattern: weeklyPattern(calendar),
    own: Array.isArray(own) && own.length === 7 ? own.map((open) => open === true) : null,
    exceptions: exceptionsByDate(calendar),
    ownExceptions: new Map(ownExceptions.map((ex) => [ex.date, ex])),
  };
}

const isOpen = (exception) => (exception ? Boolean(exception.is_open) : null);

/** The domain's rule (domain/calendar.py, its twin openingDay): the register's exception, the company's, a week. */
export function isOpeningDay(calendar, iso) {
  const weekday = weekdayMondayFirst(iso);
  return openingDay(calendar.pattern[weekday], isOpen(calendar.exceptions.get(iso)),
    calendar.own ? calendar.own[weekday] : null, isOpen(calendar.ownExceptions?.get(iso)));
}

export const STATUS_LABELS = {
  open: 'Ouverte',
  closed: 'Clôturée',
  missing: 'Manquante',
  off: 'Fermé',
  future: 'À venir',
  today: 'À saisir',
};

/**
 * closed / open (an entry exists) / missing (past opening day without entry) /
 * today (today's opening day, not begun) / future / off (shop closed that day).
 */
export function dayStatus(day, calendar, iso, today) {
  if (day) return day.status === 'closed' ? 'closed' : 'open';
  if (!isOpeningDay(calendar, iso)) return 'off';
  if (iso > today) return 'future';
  if (iso === today) return 'today';
  return 'missing';
}

/** The last `count` dates up to today, most recent first. */
export function lastDates(today, count) {
  return Array.from({ length: count }, (_, i) => addDays(today, -i));
}

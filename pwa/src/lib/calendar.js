// Opening days and the status of each cash day, as shown by the home and history screens.
import { weekdayMondayFirst, addDays } from './dates.js';

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
 * replica is per company and holds one calendar entity (id = the company id); a register entity may carry its
 * own `weekly_pattern` (null: the company's).
 */
export function calendarOf(_company, calendarRows, register = null) {
  const calendar = (calendarRows ?? [])[0] ?? null;
  const own = register?.weekly_pattern;
  // A register's own week (« Marché du samedi »: Saturdays only) replaces the company's; the company's
  // dated exceptions still apply to it (its own dated exceptions are kept on the server, not pulled).
  const pattern = Array.isArray(own) && own.length === 7 ? weeklyPattern({ weekly_pattern: own }) : weeklyPattern(calendar);
  return { pattern, exceptions: exceptionsByDate(calendar) };
}

export function isOpeningDay(calendar, iso) {
  const ex = calendar.exceptions.get(iso);
  if (ex) return Boolean(ex.is_open);
  return calendar.pattern[weekdayMondayFirst(iso)];
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

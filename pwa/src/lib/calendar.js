// Opening days and the status of each cash day, as shown by the home and history screens.
import { weekdayMondayFirst, addDays } from './dates.js';

/**
 * Weekly pattern, Monday first, as 7 booleans. The company may carry it as "1111110"
 * (`weekly_pattern`) or the calendar entity as an array (`weekly`/`pattern`); default Mon–Sat.
 */
export function weeklyPattern(company, calendar) {
  const raw = calendar?.weekly ?? calendar?.pattern ?? calendar?.weekly_pattern ?? company?.weekly_pattern;
  if (typeof raw === 'string' && /^[01]{7}$/.test(raw)) return [...raw].map((c) => c === '1');
  if (Array.isArray(raw) && raw.length === 7) return raw.map(Boolean);
  return [true, true, true, true, true, true, false];
}

/**
 * Dated exceptions from the replica's `calendar` rows: either one row per exception
 * `{date, is_open, label}` or one row holding `exceptions: [...]`.
 */
export function exceptionsByDate(calendarRows) {
  const out = new Map();
  for (const row of calendarRows ?? []) {
    const list = Array.isArray(row?.exceptions) ? row.exceptions : [row];
    for (const ex of list) if (ex && typeof ex.date === 'string') out.set(ex.date, ex);
  }
  return out;
}

export function calendarOf(company, calendarRows) {
  const patternSource = (calendarRows ?? []).find((r) => r && (r.weekly || r.pattern || r.weekly_pattern));
  return { pattern: weeklyPattern(company, patternSource), exceptions: exceptionsByDate(calendarRows) };
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

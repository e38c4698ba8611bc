// Shop-local calendar dates as ISO strings (YYYY-MM-DD), never Date objects across modules:
// a cash day is a calendar date, not an instant, so no time zone may shift it.

function pad(n) {
  return String(n).padStart(2, '0');
}

export function isoDate(y, m, d) {
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Today's date in the device's local calendar. */
export function todayIso(now = new Date()) {
  return isoDate(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

function parts(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return { y, m, d };
}

/** « 14/03/2025 » */
export function formatDateFr(iso) {
  if (!iso) return '';
  const { y, m, d } = parts(iso);
  return `${pad(d)}/${pad(m)}/${y}`;
}

/** « 14/03/2025 » or « 14/3/25 » → ISO, or null when it is not a real date. */
export function parseDateFr(text) {
  const match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$/.exec(text ?? '');
  if (!match) return null;
  let [, d, m, y] = match.map(Number);
  if (y < 100) y += 2000;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return isoDate(y, m, d);
}

export function addDays(iso, n) {
  const { y, m, d } = parts(iso);
  const date = new Date(Date.UTC(y, m - 1, d + n));
  return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** 0 = Monday … 6 = Sunday (the calendar's weekly pattern is Monday first). */
export function weekdayMondayFirst(iso) {
  const { y, m, d } = parts(iso);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export const WEEKDAYS_FR = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
export const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
  'septembre', 'octobre', 'novembre', 'décembre'];

/** « vendredi 14 mars 2025 » */
export function longDateFr(iso) {
  const { y, m, d } = parts(iso);
  return `${WEEKDAYS_FR[weekdayMondayFirst(iso)]} ${d} ${MONTHS_FR[m - 1]} ${y}`;
}

/** The weeks of a month, Monday first; days of the neighbouring months are null. */
export function monthWeeks(year, month) {
  const first = isoDate(year, month, 1);
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells = Array(weekdayMondayFirst(first)).fill(null);
  for (let d = 1; d <= length; d += 1) cells.push(isoDate(year, month, d));
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export function shiftMonth(year, month, delta) {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

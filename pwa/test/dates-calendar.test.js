import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateFr, parseDateFr, addDays, weekdayMondayFirst, monthWeeks, shiftMonth, longDateFr, todayIso } from '../src/lib/dates.js';
import { calendarOf, isOpeningDay, dayStatus, lastDates } from '../src/lib/calendar.js';
import { syncStatus, pendingText } from '../src/sync/status.js';
import { parseHash, href, rolesOf } from '../src/router.js';

test('dates: dd/mm/aaaa both ways, real dates only', () => {
  assert.equal(formatDateFr('2025-03-14'), '14/03/2025');
  assert.equal(parseDateFr('14/03/2025'), '2025-03-14');
  assert.equal(parseDateFr('1/3/25'), '2025-03-01');
  assert.equal(parseDateFr('31/02/2025'), null);
  assert.equal(parseDateFr('2025-03-14'), null);
  assert.equal(longDateFr('2025-03-14'), 'vendredi 14 mars 2025');
  assert.equal(todayIso(new Date(2025, 2, 14, 23, 59)), '2025-03-14');
});

test('dates: arithmetic across months, years and DST', () => {
  assert.equal(addDays('2025-03-31', 1), '2025-04-01');
  assert.equal(addDays('2025-01-01', -1), '2024-12-31');
  assert.equal(addDays('2025-03-30', 1), '2025-03-31');
  assert.equal(weekdayMondayFirst('2025-03-17'), 0);
  assert.equal(weekdayMondayFirst('2025-03-16'), 6);
  assert.deepEqual(shiftMonth(2025, 1, -1), { year: 2024, month: 12 });
  assert.deepEqual(shiftMonth(2025, 12, 1), { year: 2026, month: 1 });
});

test('month grid starts on Monday with blanks', () => {
  const weeks = monthWeeks(2025, 3); // 1 March 2025 is a Saturday
  assert.equal(weeks[0].indexOf('2025-03-01'), 5);
  assert.ok(weeks.every((w) => w.length === 7));
  assert.equal(weeks.flat().filter(Boolean).length, 31);
});

test('calendar: the calendar entity\'s weekly pattern, its exceptions win', () => {
  const week = [false, true, true, true, true, true, true];
  const cal = calendarOf(null, [{ weekly_pattern: week, exceptions: [{ id: 1, date: '2025-03-18', is_open: false, label: 'Congés' }] }]);
  assert.equal(isOpeningDay(cal, '2025-03-17'), false); // Monday closed
  assert.equal(isOpeningDay(cal, '2025-03-16'), true); // Sunday open
  assert.equal(isOpeningDay(cal, '2025-03-18'), false);
  const defaults = calendarOf(null, []); // not pulled yet: Monday to Saturday
  assert.equal(isOpeningDay(defaults, '2025-03-16'), false);
  assert.equal(isOpeningDay(defaults, '2025-03-17'), true);
  // Only documented fields are read (schema/pull-calendar.schema.json): no guessing among other names.
  const guessed = calendarOf({ weekly_pattern: '1111111' }, [{ weekly: [1, 1, 1, 1, 1, 1, 1], exceptions: [] }]);
  assert.equal(isOpeningDay(guessed, '2025-03-16'), false);
});

test('day status: ouverte, clôturée, manquante only on a past opening day', () => {
  const cal = calendarOf(null, [{ weekly_pattern: [true, true, true, true, true, true, false], exceptions: [] }]);
  const today = '2025-03-14';
  assert.equal(dayStatus({ status: 'closed' }, cal, '2025-03-13', today), 'closed');
  assert.equal(dayStatus({ status: 'open' }, cal, '2025-03-13', today), 'open');
  assert.equal(dayStatus(undefined, cal, '2025-03-13', today), 'missing');
  assert.equal(dayStatus(undefined, cal, '2025-03-09', today), 'off');
  assert.equal(dayStatus(undefined, cal, today, today), 'today');
  assert.equal(dayStatus(undefined, cal, '2025-03-15', today), 'future');
  assert.deepEqual(lastDates(today, 3), ['2025-03-14', '2025-03-13', '2025-03-12']);
});

test('status bar texts', () => {
  const base = { online: true, pending: 0, error: null, syncing: false, lastSyncAt: null };
  assert.equal(syncStatus({ ...base, pending: 3 }).text, '3 modifications en attente');
  assert.equal(pendingText(1), '1 modification en attente');
  const at = new Date(2025, 2, 14, 18, 42).getTime();
  assert.equal(syncStatus({ ...base, lastSyncAt: at }, at + 3600000).text, 'Synchronisé à 18:42');
  assert.equal(syncStatus({ ...base, lastSyncAt: at }, new Date(2025, 2, 15, 9, 0).getTime()).text, 'Synchronisé le 14/03 à 18:42');
  assert.equal(syncStatus({ ...base }).text, 'Pas encore synchronisé');
  assert.equal(syncStatus({ ...base, online: false, pending: 2 }).text, 'Hors ligne');
  assert.equal(syncStatus({ ...base, online: false, pending: 2 }).detail, '2 modifications en attente');
  assert.equal(syncStatus({ ...base, error: 'boom' }).text, 'Erreur de synchronisation');
  assert.equal(syncStatus({ ...base, sessionExpired: true }).state, 'error');
});

test('router: hash → route and back', () => {
  assert.deepEqual(parseHash('#/day/3/2025-03-14'), { name: 'day', params: { registerId: 3, date: '2025-03-14' }, query: {} });
  assert.deepEqual(parseHash(''), { name: 'home', params: {}, query: {} });
  assert.deepEqual(parseHash('#/history/2025-03'), { name: 'history', params: { year: 2025, month: 3 }, query: {} });
  assert.equal(parseHash('#/nope').name, 'notfound');
  assert.equal(href.day(3, '2025-03-14'), '#/day/3/2025-03-14');
  assert.deepEqual(parseHash('#/rapports/mensuel?month=2026-03&n1=weekday'),
    { name: 'reports', params: { kind: 'mensuel' }, query: { month: '2026-03', n1: 'weekday' } });
  assert.deepEqual(rolesOf('settings'), ['admin', 'firm_admin']);
  assert.deepEqual(rolesOf('firm'), ['firm_admin']);
  assert.equal(rolesOf('day'), null);
  assert.deepEqual(parseHash(href.history(2025, 3)).params, { year: 2025, month: 3 });
});

test('a register with its own week: its pattern, the company’s dated exceptions', () => {
  const company = [{ weekly_pattern: [true, true, true, true, true, true, false], exceptions: [{ id: 1, date: '2025-03-15', is_open: false, label: 'Inventaire' }] }];
  const market = { id: 2, weekly_pattern: [false, false, false, false, false, true, false] }; // Saturdays only
  const cal = calendarOf(null, company, market);
  assert.equal(isOpeningDay(cal, '2025-03-18'), false); // a Tuesday: the stall is not there
  assert.equal(isOpeningDay(cal, '2025-03-22'), true); // a Saturday
  assert.equal(isOpeningDay(cal, '2025-03-15'), false); // the company's closing wins that Saturday
  assert.equal(dayStatus(undefined, cal, '2025-03-18', '2025-03-30'), 'off');
  assert.equal(dayStatus(undefined, cal, '2025-03-22', '2025-03-30'), 'missing');
  const follows = calendarOf(null, company, { id: 1, weekly_pattern: null }); // null: the company's week
  assert.equal(isOpeningDay(follows, '2025-03-18'), true);
});

test('a register’s own exceptions come with the calendar entity; the shop’s exceptional opening is not the market’s', () => {
  const company = [{
    weekly_pattern: [true, true, true, true, true, true, false],
    exceptions: [{ id: 1, date: '2025-03-16', is_open: true, label: 'Dimanche des Rameaux' }],
    register_exceptions: [
      { id: 7, register_id: 2, date: '2025-03-19', is_open: true, label: 'Foire de printemps' },
      { id: 8, register_id: 2, date: '2025-03-22', is_open: false, label: 'Pluie' },
      { id: 9, register_id: 1, date: '2025-03-18', is_open: false, label: 'Travaux' },
    ],
  }];
  const market = calendarOf(null, company, { id: 2, weekly_pattern: [false, false, false, false, false, true, false] });
  assert.equal(isOpeningDay(market, '2025-03-19'), true); // a Wednesday: its own exceptional opening
  assert.equal(isOpeningDay(market, '2025-03-22'), false); // a Saturday: its own closing
  assert.equal(isOpeningDay(market, '2025-03-16'), false); // the shop's Sunday opening: not the stall's
  assert.equal(isOpeningDay(market, '2025-03-18'), false); // another register's closing is not its own
  const shop = calendarOf(null, company, { id: 1, weekly_pattern: null });
  assert.equal(isOpeningDay(shop, '2025-03-16'), true); // follows the shop: its Sunday opening
  assert.equal(isOpeningDay(shop, '2025-03-18'), false); // its own closing
  assert.equal(isOpeningDay(shop, '2025-03-19'), true);
  assert.equal(dayStatus(undefined, market, '2025-03-19', '2025-03-30'), 'missing');
});

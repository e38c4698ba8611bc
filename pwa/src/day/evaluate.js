// Balances and findings of a day straight from the rebased view (plus an optional draft),
// shared by the day entry and the alerts screen.
import { buildDayInput, previousCounts } from './input.js';
import { evaluateDay, fromWire } from '../cash.js';
import { flowsOfDay, dayKey } from '../sync/rebase.js';
import * as settings from '../lib/settings.js';
import { calendarOf, isOpeningDay } from '../lib/calendar.js';

export function daySettings(view, companyId, registerId) {
  const company = settings.company(view, companyId);
  const register = settings.register(view, registerId);
  return {
    company,
    register,
    categories: settings.categories(view),
    methods: settings.methods(view),
    manual: settings.manualMethods(view),
    suppliers: settings.suppliers(view),
    customers: settings.customers(view),
    calendar: calendarOf(company, settings.calendarRows(view), register),
  };
}

/** @returns {{header, flows, evaluation, closing}} — evaluation while typing, closing = at close. */
export function evaluateFromView(view, s, registerId, date, header) {
  const day = header ?? view.days.get(dayKey(registerId, date)) ?? { date, register_id: registerId };
  const flows = flowsOfDay(view, registerId, date);
  const input = buildDayInput({
    header: day,
    flows,
    categories: s.categories,
    methods: s.methods,
    customers: s.customers,
    suppliers: s.suppliers,
    company: s.company,
    register: s.register,
    previous: previousCounts([...view.days.values()], registerId, date, fromWire),
    openingDay: isOpeningDay(s.calendar, date),
  }, fromWire);
  return { header: day, flows, evaluation: evaluateDay(input, false), closing: evaluateDay(input, true) };
}

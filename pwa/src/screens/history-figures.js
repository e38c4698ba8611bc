// The figures of the history calendar: each day's revenue (CA TTC) and cash difference, and the
// month's totals (revenue, sales count, average basket, sum of differences), for one register or
// for all of them, computed by the same domain code as the day entry.
import { buildDayInput, previousCounts } from '../day/input.js';
import { evaluateDay, fromWire } from '../cash.js';
import { flowsOfDay } from '../sync/rebase.js';
import { isOpeningDay } from '../lib/calendar.js';

function dayFigures(view, s, allDays, day) {
  const input = buildDayInput({
    header: day,
    flows: flowsOfDay(view, day.register_id, day.date),
    categories: s.categories,
    methods: s.methods,
    customers: s.customers,
    suppliers: s.suppliers,
    company: s.company,
    register: s.registers.get(String(day.register_id)) ?? {},
    previous: previousCounts(allDays, day.register_id, day.date, fromWire),
    openingDay: isOpeningDay(s.calendar, day.date),
  }, fromWire);
  const result = evaluateDay(input, false).result;
  if (!result) return null;
  const differences = (result.methods ?? []).map((m) => m.difference).filter((d) => d !== null && d !== undefined);
  return {
    revenue: result.totals.sales_ttc,
    salesCount: result.totals.sales_count ?? 0,
    difference: differences.length ? differences.reduce((a, b) => a + b, 0) : null,
  };
}

/**
 * @param s {{categories, methods, customers, suppliers, company, calendar, registers: Map<string, register>}}
 * @param registerIds the registers to add up (one, or all of the company)
 * @param dates the ISO dates of the month
 * @returns {{byDate: Map<string, {revenue, salesCount, difference, days}>, totals: {revenue, salesCount, averageBasket, difference, days}}}
 */
export function monthFigures(view, s, registerIds, dates) {
  const wanted = new Set(registerIds.map(String));
  const inMonth = new Set(dates);
  const allDays = [...view.days.values()];
  const byDate = new Map();
  const totals = { revenue: 0, salesCount: 0, difference: 0, days: 0, averageBasket: null };
  for (const day of allDays) {
    if (!wanted.has(String(day.register_id)) || !inMonth.has(day.date)) continue;
    const f = dayFigures(view, s, allDays, day);
    if (!f) continue;
    const cell = byDate.get(day.date) ?? { revenue: 0, salesCount: 0, difference: null, days: 0 };
    cell.revenue += f.revenue;
    cell.salesCount += f.salesCount;
    cell.days += 1;
    if (f.difference !== null) cell.difference = (cell.difference ?? 0) + f.difference;
    byDate.set(day.date, cell);
    totals.revenue += f.revenue;
    totals.salesCount += f.salesCount;
    totals.difference += f.difference ?? 0;
    totals.days += 1;
  }
  totals.averageBasket = totals.salesCount ? Math.round(totals.revenue / totals.salesCount) : null;
  return { byDate, totals };
}

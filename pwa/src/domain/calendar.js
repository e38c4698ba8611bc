// Is a date an opening day of a register? The JavaScript twin of domain/calendar.py (the rule is written
// there); schema/vectors/calendar/opening_day.json holds both to the same answers.
//   1. the register's own exception that date;
//   2. the company's exception that date: a closing closes every register; an exceptional opening opens only
//      the registers that follow the company's pattern;
//   3. the register's own pattern, else the company's.

/**
 * `companyWeek`: the company's pattern that weekday; `registerWeek`: the register's own pattern that weekday
 * (null: it follows the company's); an exception: its `is_open`, null when there is none.
 */
export function openingDay(companyWeek, companyException = null, registerWeek = null, registerException = null) {
  if (registerException !== null && registerException !== undefined) return registerException;
  if (companyException === false || (companyException === true && registerWeek === null)) return companyException;
  return registerWeek === null ? companyWeek : registerWeek;
}

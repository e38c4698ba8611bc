"""Is a date an opening day of a register? (docs/DECISIONS.md, "A calendar per register").

A company has a Monday-first weekly pattern and dated exceptions; a register may have its own pattern
(« Marché du samedi »: Saturdays only) and its own dated exceptions. For one register and one date, the
first rule that speaks decides:

  1. the register's own exception that date;
  2. the company's exception that date: a closing closes every register; an exceptional opening opens only
     the registers that follow the company's pattern;
  3. the register's own pattern, else the company's.

Pure: the caller looks up the patterns for the date's weekday and the exceptions for the date. The JS twin is
pwa/src/domain/calendar.js; schema/vectors/calendar/opening_day.json holds both to the same answers.
"""

from __future__ import annotations


def opening_day(company_week: bool, company_exception: bool | None = None, register_week: bool | None = None,
                register_exception: bool | None = None) -> bool:
    """`company_week`: the company's pattern that weekday; `register_week`: the register's own pattern that
    weekday (None: it follows the company's); an exception: its `is_open`, None when there is none."""
    if register_exception is not None:
        return register_exception
    if company_exception is False or (company_exception is True and register_week is None):
        return company_exception
    return company_week if register_week is None else register_week

// Every case of schema/vectors/calendar/opening_day.json against the JavaScript twin (src/domain/calendar.js);
// tests/domain/test_calendar_vectors.py runs the same file against domain/calendar.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openingDay } from '../src/domain/index.js';

const { cases } = JSON.parse(readFileSync(new URL('../../schema/vectors/calendar/opening_day.json', import.meta.url), 'utf8'));

for (const vector of cases) {
  test(`opening day: ${vector.description}`, () => {
    const { company_week: cw, company_exception: ce, register_week: rw, register_exception: rx } = vector.input;
    assert.equal(openingDay(cw, ce, rw, rx), vector.expected.open);
  });
}

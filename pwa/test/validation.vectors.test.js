// Every case of schema/vectors/validation/ against the JavaScript twin; tests/domain/test_validation_vectors.py
// runs the same files against domain/validation.py: same verdicts, same French messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateDate, validateFlow, validateHeader, validateWeeklyPattern, ValidationError } from '../src/domain/index.js';

const load = (name) => JSON.parse(readFileSync(new URL(`../../schema/vectors/validation/${name}.json`, import.meta.url), 'utf8'));
const FILES = { header: load('header'), flows: load('flows'), dates: load('dates'), calendar: load('calendar') };
const context = (raw, settings) => ({ ...raw, settings: raw.settings ? settings : null });

for (const [name, fn] of [['header', validateHeader], ['flows', validateFlow]]) {
  for (const vector of FILES[name].cases) {
    test(`${name}: ${vector.description}`, () => {
      const got = fn(vector.input.value, context(vector.input.ctx, FILES[name].settings));
      assert.deepEqual(got, vector.expected.errors);
    });
  }
}

for (const vector of FILES.dates.cases) {
  test(`dates: ${vector.description}`, () => {
    const { date, today, closing } = vector.input;
    assert.deepEqual(validateDate(date, today, { closing }), vector.expected.errors);
  });
}

for (const vector of FILES.calendar.cases) {
  test(`calendar: ${vector.description}`, () => {
    assert.deepEqual(validateWeeklyPattern(vector.input.pattern), vector.expected.errors);
  });
}

test('there are at least 100 validation vectors', () => {
  const count = Object.values(FILES).reduce((n, file) => n + file.cases.length, 0);
  assert.ok(count >= 100, `${count}`);
});

test('ValidationError carries the errors and names the first field', () => {
  const error = new ValidationError({ 'sales[0].amount': ['Le montant ne peut pas être négatif.'] });
  assert.ok(error instanceof Error);
  assert.deepEqual(error.errors, { 'sales[0].amount': ['Le montant ne peut pas être négatif.'] });
  assert.equal(error.message, 'sales[0].amount : Le montant ne peut pas être négatif.');
});

// Every case of schema/vectors/ against the JavaScript twin; tests/domain/test_vectors.py runs the same
// files against domain/ with the same comparison rules (see schema/day-vector.schema.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  InputError, MoneyError, canClose, computeDay, evaluate, formatFr, normalizeDayInput, parseFr, parseWire,
  toWire, flowRules,
} from '../src/domain/index.js';

const VECTORS = new URL('../../schema/vectors/', import.meta.url);
const load = (url) => {
  const data = JSON.parse(readFileSync(url, 'utf8'));
  return Array.isArray(data) ? data : [data];
};
const dayFiles = readdirSync(new URL('day/', VECTORS)).filter((name) => name.endsWith('.json')).sort();

const nonzero = (contributions) => Object.fromEntries(Object.entries(contributions).filter(([, v]) => v !== 0));
/** The keys the vector lists, contributions without their zeros. */
const pick = (got, expected) => Object.fromEntries(Object.keys(expected)
  .map((key) => [key, key === 'contributions' ? nonzero(got[key]) : got[key]]));
const norm = (expected) => ('contributions' in expected
  ? { ...expected, contributions: nonzero(expected.contributions) } : expected);

function checkResult(raw, expected) {
  const input = normalizeDayInput(raw);
  const got = computeDay(input);
  assert.deepEqual(got.totals, expected.totals);
  assert.deepEqual(got.vat_lines, expected.vat_lines);
  if (expected.categories) assert.deepEqual(got.categories, expected.categories);
  assert.deepEqual(got.methods.map((m) => m.method_id), expected.methods.map((m) => m.method_id));
  got.methods.forEach((mine, i) => assert.deepEqual(pick(mine, expected.methods[i]), norm(expected.methods[i])));
  for (const theirs of expected.automatic ?? []) {
    const mine = got.automatic.find((m) => m.method_id === theirs.method_id);
    assert.deepEqual(pick(mine, theirs), norm(theirs));
  }
  for (const key of ['credit', 'vouchers']) if (key in expected) assert.deepEqual(got[key], expected[key]);
  const findings = evaluate(input, raw.at_close);
  assert.deepEqual(findings.map((f, i) => pick(f, expected.findings[i] ?? {})), expected.findings);
  assert.equal(findings.length, expected.findings.length);
  assert.ok(findings.every((f) => f.message_fr.length > 0));
  assert.equal(canClose(findings), expected.can_close);
  if (raw.candidate_flows) {
    const existing = Object.fromEntries(input.day.flows.map((f) => [f.id, f.kind]));
    const errors = raw.candidate_flows
      .map((flow) => Object.keys(flowRules(flow, raw.settings, { existing })).sort());
    assert.deepEqual(errors, expected.flow_errors);
  }
}

let dayCount = 0;
for (const name of dayFiles) {
  load(new URL(`day/${name}`, VECTORS)).forEach((vector, index) => {
    dayCount += 1;
    test(`${name.replace('.json', '')}-${index}: ${vector.description}`, () => {
      if (vector.expected.error === 'input') {
        assert.throws(() => evaluate(normalizeDayInput(vector.input), vector.input.at_close), InputError);
      } else {
        checkResult(vector.input, vector.expected);
      }
    });
  });
}

test('there are at least 40 day vectors', () => assert.ok(dayCount >= 40, `${dayCount}`));

const MONEY_FNS = {
  parse_wire: parseWire, parse_fr: parseFr, to_wire: toWire, format_fr: formatFr,
  format_fr_plain: (cents) => formatFr(cents, { symbol: false }),
};

for (const vector of load(new URL('money.json', VECTORS))) {
  test(`money: ${vector.description}`, () => {
    const fn = MONEY_FNS[vector.input.fn];
    if ('error' in vector.expected) {
      assert.throws(() => fn(vector.input.value), (error) => error instanceof MoneyError
        && error.messageFr === vector.expected.error);
    } else {
      assert.equal(fn(vector.input.value), vector.expected.result);
    }
  });
}

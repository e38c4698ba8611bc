// The worked day of DOMAIN.md §5, typed as the screens hold it (wire strings), through
// buildDayInput and the domain: expected cash 218,35 €, counted 216,35 € → écart −2,00 €.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDayInput, previousCounts, lineAmount, withLine } from '../src/day/input.js';
import { evaluateDay, fromWire, parseAmount, money, splitVat } from '../src/cash.js';
import { gridTotal, cleanGrid, denominationLabel, DENOMINATIONS } from '../src/day/billetage.js';

const categories = [
  { id: 1, label: 'Pain', vat_bp: 550, position: 1 },
  { id: 2, label: 'Boissons', vat_bp: 1000, position: 2 },
  { id: 3, label: 'Épicerie', vat_bp: 2000, position: 3 },
];
const methods = [
  { id: 10, label: 'Espèces', kind: 'cash', deposit_mode: 'manual', position: 1 },
  { id: 11, label: 'Carte bancaire', kind: 'card', deposit_mode: 'automatic', position: 2 },
  { id: 12, label: 'Chèques', kind: 'cheque', deposit_mode: 'manual', position: 3 },
];
const header = {
  date: '2025-03-14', z_number: '41', sales_count: 150,
  sales: [{ category_id: 1, amount: '633.00' }, { category_id: 2, amount: '220.00' }, { category_id: 3, amount: '120.00' }],
  payments: [{ method_id: 10, amount: '400.00' }, { method_id: 11, amount: '503.00' }, { method_id: 12, amount: '70.00' }],
  opening: [{ method_id: 10, amount: '200.00' }],
  counts: [{ method_id: 10, amount: '216.35' }, { method_id: 12, amount: '70.00' }],
  comment: '',
};
const flows = [
  { id: 'f-1', kind: 'expense', amount: '31.65', method_id: 10, vat_bp: 550, label: 'Farine', day_id: 'd', created_at: 'x' },
  { id: 'f-2', kind: 'deposit', amount: '350.00', method_id: 10, slip_number: 'B12' },
];
const input = (h = header, f = flows) => buildDayInput({
  header: h, flows: f, categories, methods, customers: [], suppliers: [],
  company: { opt_cash_expenses: true, cash_tolerance: '0.00' }, register: { max_threshold: '1500.00', min_threshold: null }, previous: {},
}, fromWire);

test('the worked day: totals, expected cash, difference', () => {
  const { result, findings, canClose } = evaluateDay(input());
  assert.equal(result.totals.sales_ttc, 97300);
  assert.equal(result.totals.sales_ht, 90000);
  assert.equal(result.totals.average_basket, 649);
  const cash = result.methods.find((m) => m.method_id === 10);
  assert.equal(cash.expected, 21835);
  assert.equal(cash.difference, -200);
  assert.deepEqual(findings.map((f) => f.kind), ['cash_difference', 'missing_comment']);
  assert.equal(canClose, false);
});

test('a comment unblocks the closing; the count of each manual method is due at close', () => {
  assert.equal(evaluateDay(input({ ...header, comment: 'Erreur de rendu monnaie' }), true).canClose, true);
  const noCheques = { ...header, comment: 'ok', counts: [{ method_id: 10, amount: '216.35' }] };
  const atClose = evaluateDay(input(noCheques), true);
  assert.deepEqual(atClose.findings.map((f) => f.kind), ['cash_difference', 'count_missing']);
  assert.equal(atClose.canClose, false);
});

test('wire strings become cents; domain-only fields are passed, wire extras dropped', () => {
  const built = input();
  assert.deepEqual(built.day.sales[0], { category_id: 1, amount: 63300 });
  assert.deepEqual(built.day.flows[1], { id: 'f-2', kind: 'deposit', method_id: 10, amount: 35000 });
  assert.equal(built.settings.max_threshold, 150000);
  assert.equal('min_threshold' in built.settings, false);
  assert.equal(built.day.sales_count, 150);
});

test('an unreadable day is reported, not thrown', () => {
  const bad = input({ ...header, sales: [{ category_id: 99, amount: '1.00' }] });
  const out = evaluateDay(bad);
  assert.equal(out.result, null);
  assert.match(out.error, /Classification inconnue/);
});

test('previous counts: the latest earlier day of the register that was counted', () => {
  const days = [
    { register_id: 1, date: '2025-03-12', counts: [{ method_id: 10, amount: '150.00' }] },
    { register_id: 1, date: '2025-03-13', counts: [{ method_id: 10, amount: '200.00' }] },
    { register_id: 1, date: '2025-03-14', counts: [{ method_id: 10, amount: '999.00' }] },
    { register_id: 2, date: '2025-03-13', counts: [{ method_id: 10, amount: '1.00' }] },
  ];
  assert.deepEqual(previousCounts(days, 1, '2025-03-14', fromWire), { 10: 20000 });
});

test('header lines are replaced in place, removed when emptied', () => {
  const list = [{ method_id: 10, amount: '1.00' }, { method_id: 11, amount: '2.00' }];
  assert.deepEqual(withLine(list, 'method_id', 10, '5.00'), [{ method_id: 10, amount: '5.00' }, { method_id: 11, amount: '2.00' }]);
  assert.deepEqual(withLine(list, 'method_id', 10, null), [{ method_id: 11, amount: '2.00' }]);
  assert.deepEqual(withLine(list, 'method_id', 12, '3.00', { grid: { 100: 3 } }).at(-1), { method_id: 12, amount: '3.00', grid: { 100: 3 } });
  assert.equal(lineAmount(list, 'method_id', 11), '2.00');
  assert.equal(lineAmount(list, 'method_id', 12), null);
});

test('keypad amounts: comma or dot, spaces; display « 1 234,56 € »', () => {
  assert.deepEqual(parseAmount('1 234,56'), { cents: 123456 });
  assert.deepEqual(parseAmount('12.5'), { cents: 1250 });
  assert.deepEqual(parseAmount(''), { empty: true });
  assert.ok(parseAmount('12,345').error);
  assert.equal(money(123456), '1\u202f234,56\u00a0€');
  assert.deepEqual(splitVat(63300, 550), [60000, 3300]);
});

test('billetage: 500 € … 0,01 €, total in cents', () => {
  assert.equal(DENOMINATIONS.length, 15);
  assert.equal(gridTotal({ 50000: 0, 2000: 3, 50: 4, 1: 5, 7: 9 }), 6205);
  assert.deepEqual(cleanGrid({ 2000: 3, 50: 0, 100: -1 }), { 2000: 3 });
  assert.equal(denominationLabel(50000), '500 €');
  assert.equal(denominationLabel(50), '0,50 €');
  assert.equal(denominationLabel(1), '0,01 €');
});

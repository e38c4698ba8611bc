import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleGroups, kindFields, buildFlow, methodsFor } from '../src/day/flow-specs.js';

test('only the sections the company enabled are shown', () => {
  assert.deepEqual(visibleGroups({}).map((g) => g.id), ['cash', 'deposits']);
  const all = { opt_cash_expenses: true, opt_transfers: true, opt_customer_credit: true, opt_gift_vouchers: true, opt_overpayments: true };
  assert.deepEqual(visibleGroups(all).map((g) => g.id), ['cash', 'expenses', 'deposits', 'transfers', 'credit', 'vouchers', 'overpayments']);
});

test('crédit-client: per customer when detailed, one amount when lump', () => {
  const detailed = visibleGroups({ opt_customer_credit: true, credit_mode: 'detailed' }).find((g) => g.id === 'credit');
  assert.deepEqual(detailed.kinds, ['credit_granted', 'credit_settled']);
  assert.ok(kindFields('credit_settled', { credit_mode: 'detailed' }).some(([name]) => name === 'customer_id'));
  const lump = visibleGroups({ opt_customer_credit: true, credit_mode: 'lump' }).find((g) => g.id === 'credit');
  assert.deepEqual(lump.kinds, ['credit_settled']);
  assert.ok(!kindFields('credit_settled', { credit_mode: 'lump' }).some(([name]) => name === 'customer_id'));
});

test('an expense needs a supplier or a label, and gets integer ids', () => {
  const fields = kindFields('expense', {});
  assert.deepEqual(buildFlow('expense', fields, { amount: '31.65', vat_bp: '550', method_id: '10' }).errors.label.length, 1);
  assert.deepEqual(buildFlow('expense', fields, { amount: '31.65', vat_bp: '550', method_id: '10', supplier_id: '4' }).flow,
    { kind: 'expense', supplier_id: 4, amount: '31.65', vat_bp: 550, method_id: 10 });
  assert.deepEqual(buildFlow('expense', fields, { amount: '31.65', vat_bp: '0', method_id: '10', label: ' Timbres ' }).flow,
    { kind: 'expense', label: 'Timbres', amount: '31.65', vat_bp: 0, method_id: 10 });
});

test('a deposit keeps its slip number and cheque count', () => {
  const out = buildFlow('deposit', kindFields('deposit', {}), { method_id: '12', amount: '70.00', slip_number: 'B-12', cheque_count: 2 });
  assert.deepEqual(out.flow, { kind: 'deposit', method_id: 12, amount: '70.00', slip_number: 'B-12', cheque_count: 2 });
});

test('required fields, zero and negative amounts are refused (negative allowed for trop-perçus)', () => {
  assert.ok(buildFlow('cash_out', kindFields('cash_out', {}), { method_id: '10' }).errors.amount);
  assert.ok(buildFlow('cash_out', kindFields('cash_out', {}), { method_id: '10', amount: '0.00' }).errors.amount);
  assert.ok(buildFlow('cash_out', kindFields('cash_out', {}), { method_id: '10', amount: '-5.00' }).errors.amount);
  assert.equal(buildFlow('overpayment', kindFields('overpayment', {}), { method_id: '10', amount: '-0.20' }).flow.amount, '-0.20');
  assert.ok(buildFlow('transfer', kindFields('transfer', {}), { method_id: '10', to_method_id: '10', amount: '5.00' }).errors.to_method_id);
});

test('flows never move gift vouchers or customer credit; deposits only cash and cheques', () => {
  const methods = [
    { id: 1, kind: 'cash', deposit_mode: 'manual' }, { id: 2, kind: 'card', deposit_mode: 'automatic' },
    { id: 3, kind: 'cheque', deposit_mode: 'manual' }, { id: 4, kind: 'gift_voucher', deposit_mode: 'automatic' },
    { id: 5, kind: 'customer_credit', deposit_mode: 'automatic' },
  ];
  assert.deepEqual(methodsFor('method', methods).map((m) => m.id), [1, 2, 3]);
  assert.deepEqual(methodsFor('deposit_method', methods).map((m) => m.id), [1, 3]);
});

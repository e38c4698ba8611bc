// formatFr must write what Intl fr-FR writes, and the keypad must read it back; VAT splits stay exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CENTS, formatFr, parseFr, parseWire, splitTtc, toWire } from '../src/domain/index.js';

const INTL = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

// A fixed pseudo-random walk over magnitudes 1 … 10^11 (no Math.random: failures must reproduce).
function* samples(count) {
  let seed = 20250314;
  for (let i = 0; i < count; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const digits = 1 + (seed % 11);
    const value = Math.floor((seed / 2147483648) * 10 ** digits);
    yield i % 2 && value ? -value : value;
  }
  yield* [0, 1, -1, 99, 100, 999_99, 1000_00, 123456, MAX_CENTS, -MAX_CENTS];
}

test('formatFr writes exactly what Intl fr-FR writes', () => {
  for (const cents of samples(2000)) {
    // Intl is given euros as a string, so no float enters the comparison
    const abs = Math.abs(cents);
    const euros = `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
    assert.equal(formatFr(cents), INTL.format(euros), `cents ${cents}`);
  }
});

test('the keypad reads back what formatFr writes, the wire what toWire writes', () => {
  for (const cents of samples(2000)) {
    assert.equal(parseFr(formatFr(cents)), cents);
    assert.equal(parseFr(formatFr(cents, { symbol: false })), cents);
    assert.equal(parseWire(toWire(cents)), cents);
  }
});

test('a parsed zero is never -0', () => {
  assert.ok(Object.is(parseFr('-0,00'), 0));
  assert.ok(Object.is(parseWire('-0'), 0));
  assert.ok(Object.is(splitTtc(-0, 2000)[0], 0));
});

test('VAT split: HT + VAT = TTC and ties go away from zero, up to 10^11 cents', () => {
  for (const ttc of samples(2000)) {
    for (const bp of [0, 210, 550, 1000, 2000]) {
      const [ht, vat] = splitTtc(ttc, bp);
      assert.equal(ht + vat, ttc);
      assert.ok(Number.isSafeInteger(ht));
      const error = BigInt(ht) * BigInt(10000 + bp) - BigInt(ttc) * 10000n; // in 1/(10000+bp) cents
      assert.ok(2n * (error < 0n ? -error : error) <= BigInt(10000 + bp));
      assert.deepEqual(splitTtc(-ttc, bp), [-ht || 0, -vat || 0]);
    }
  }
  assert.deepEqual(splitTtc(3, 2000), [3, 0]);
  assert.deepEqual(splitTtc(-3, 2000), [-3, 0]);
  assert.throws(() => splitTtc(100, 10001), RangeError);
});

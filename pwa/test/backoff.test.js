import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, createBackoff, isRetryable, MAX_DELAY_MS } from '../src/sync/backoff.js';

test('delays grow exponentially between half and full nominal value', () => {
  assert.equal(backoffDelay(0, () => 0), 500);
  assert.equal(backoffDelay(0, () => 1), 1000);
  assert.equal(backoffDelay(3, () => 0), 4000);
  assert.equal(backoffDelay(3, () => 1), 8000);
});

test('delays are capped at 60 s whatever the attempt and the jitter', () => {
  for (const attempt of [6, 7, 10, 50, 1e9]) {
    for (const r of [0, 0.5, 0.999999, 1]) {
      const d = backoffDelay(attempt, () => r);
      assert.ok(d <= MAX_DELAY_MS && d >= MAX_DELAY_MS / 2, `${attempt}/${r} → ${d}`);
    }
  }
});

test('jitter spreads the retries', () => {
  const seen = new Set(Array.from({ length: 20 }, (_, i) => backoffDelay(4, () => i / 20)));
  assert.ok(seen.size > 10);
});

test('the state machine resets on success', () => {
  const b = createBackoff(() => 1);
  assert.deepEqual([b.failure(), b.failure(), b.failure()], [1000, 2000, 4000]);
  b.success();
  assert.equal(b.failure(), 1000);
});

test('network errors, 503, 429 are retryable; 400 is not', () => {
  assert.ok(isRetryable({ status: 0 }));
  assert.ok(isRetryable({ status: 503 }));
  assert.ok(isRetryable({ status: 429 }));
  assert.ok(!isRetryable({ status: 400 }));
  assert.ok(!isRetryable(null));
});

// The alert centre's French wording, and the VAPID key decoding of push.js.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCountText, dateTimeFr, KIND_LABELS } from '../src/screens/alert-centre.js';
import { keyBytes } from '../src/push.js';

test('open count: no « (s) », computed plural', () => {
  assert.equal(openCountText(0), 'Aucune alerte ouverte.');
  assert.equal(openCountText(1), '1 alerte ouverte.');
  assert.equal(openCountText(3), '3 alertes ouvertes.');
});

test('server timestamps without a zone are read as UTC', () => {
  const naive = dateTimeFr('2026-03-10T08:30:00');
  assert.equal(naive, dateTimeFr('2026-03-10T08:30:00Z'));
  assert.equal(dateTimeFr(null), '');
});

test('every server kind has a French label', () => {
  assert.deepEqual(Object.keys(KIND_LABELS).sort(), ['above_max', 'below_min', 'breakdown_mismatch', 'cash_difference',
    'day_left_open', 'day_missing', 'sync_rejection']);
});

test('base64url VAPID key → the 65 bytes of an uncompressed P-256 point', () => {
  const key = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';
  const bytes = keyBytes(key);
  assert.equal(bytes.length, 65);
  assert.equal(bytes[0], 4);
  assert.equal(Buffer.from(bytes).toString('base64url'), key);
});

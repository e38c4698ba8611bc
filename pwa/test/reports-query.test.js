import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  reportState, reportHash, shiftMonthText, percent, fiscalYearOf, sortRows, monthRange, journalRangeErrors,
} from '../src/reports/report-query.js';

test('the report state round-trips through the hash', () => {
  const state = reportState({ kind: 'mensuel' }, { mois: '2025-03', caisse: '4', n1: 'weekday' }, '2026-12-02');
  assert.deepEqual(state, { kind: 'mensuel', month: '2025-03', date: '2026-12-02', year: null, register: 4, n1: 'weekday' });
  assert.equal(reportHash(state), '#/rapports/mensuel?mois=2025-03&caisse=4&n1=weekday');
  const [path, search] = reportHash(state).slice(1).split('?');
  assert.equal(path, '/rapports/mensuel');
  assert.deepEqual(reportState({ kind: 'mensuel' }, Object.fromEntries(new URLSearchParams(search)), '2026-12-02'), state);
});

test('bad query values fall back to the defaults', () => {
  const state = reportState({ kind: 'nope' }, { mois: '2025-13', caisse: 'x', n1: 'moon', jour: '14/03' }, '2026-12-02');
  assert.deepEqual(state, { kind: 'mensuel', month: '2026-12', date: '2026-12-02', year: null, register: 'all', n1: 'date' });
});

test('months shift across years, fiscal years start in any month', () => {
  assert.equal(shiftMonthText('2025-01', -1), '2024-12');
  assert.equal(shiftMonthText('2025-12', 1), '2026-01');
  assert.equal(fiscalYearOf('2026-03', 7), 2025);
  assert.equal(fiscalYearOf('2026-07', 7), 2026);
});

test('percent of basis points in French', () => {
  assert.equal(percent(1250), '+12,5\u00a0%');
  assert.equal(percent(-300), '−3,0\u00a0%');
  assert.equal(percent(0), '0,0\u00a0%');
  assert.equal(percent(1299), '+13,0\u00a0%');
  assert.equal(percent(null), '—');
});

test('sortRows sorts numbers and French names, missing values last', () => {
  const rows = [{ n: 'Épicerie', v: 3 }, { n: 'Boulangerie', v: null }, { n: 'Café', v: 10 }];
  assert.deepEqual(sortRows(rows, 'v', 'desc').map((r) => r.n), ['Café', 'Épicerie', 'Boulangerie']);
  assert.deepEqual(sortRows(rows, 'n', 'asc').map((r) => r.n), ['Boulangerie', 'Café', 'Épicerie']);
});

test('the journal period is checked like the server checks it', () => {
  assert.deepEqual(monthRange('2024-02'), { from: '2024-02-01', to: '2024-02-29' });
  assert.deepEqual(monthRange('2025-12'), { from: '2025-12-01', to: '2025-12-31' });
  assert.equal(journalRangeErrors('2025-03-01', '2025-03-31'), null);
  assert.equal(journalRangeErrors('2024-01-01', '2024-12-31'), null); // 366 days of a leap year
  assert.deepEqual(journalRangeErrors('2024-01-01', '2025-01-01'), { to: ['Une année au plus.'] });
  assert.deepEqual(journalRangeErrors('2025-03-31', '2025-03-01'), { to: ['La fin doit suivre le début.'] });
  assert.deepEqual(journalRangeErrors('', '2025-02-30'), { from: ['Indiquez le premier jour.'], to: ['Date invalide.'] });
});

// The CSV import screen's helpers: French field names for the per-line errors, computed plurals,
// the column choices, and a file in ISO-8859-15 read as such.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldLabel, ignoredText, isIsoDate, linesText, readText, targetOptions } from '../src/till/import.js';

test('a refused field reads in French', () => {
  assert.equal(fieldLabel('date'), 'Date');
  assert.equal(fieldLabel('sales.0.amount'), 'Ventes, 1re colonne remplie, montant');
  assert.equal(fieldLabel('payments.2.code'), 'Paiements, 3e colonne remplie, code');
  assert.equal(fieldLabel('vat.0.ht'), 'vat.0.ht');
});

test('plurals are computed, never « (s) »', () => {
  assert.equal(linesText(1, 'valide'), '1 ligne valide');
  assert.equal(linesText(3, 'valide'), '3 lignes valides');
  assert.equal(linesText(0, 'en erreur'), '0 ligne en erreur');
  assert.equal(linesText(2, 'en erreur'), '2 lignes en erreur');
});

test('every column offers the codes of the table, and a file\'s own code column keeps its target', () => {
  const codes = { sales: [{ code: 'PAIN', category_id: 1 }, { code: 'VIENN', category_id: 1 }],
    payments: [{ code: 'ESP', method_id: 7 }] };
  const names = { sales: { 1: 'Pain 5,5 %' }, payments: { 7: 'Espèces' } };
  const options = targetOptions('ignore', codes, names);
  assert.deepEqual(options.map((o) => o.value),
    ['ignore', 'register', 'date', 'z_number', 'sales_count', 'sales:PAIN', 'sales:VIENN', 'payments:ESP']);
  assert.equal(options.find((o) => o.value === 'sales:PAIN').label, 'Ventes — code PAIN (Pain 5,5 %)');
  assert.equal(options.find((o) => o.value === 'payments:ESP').label, 'Paiements — code ESP (Espèces)');
  const own = targetOptions('sales:GLACE', codes, names);
  assert.equal(own.at(-1).value, 'sales:GLACE');
  assert.equal(own.at(-1).label, 'Ventes — code GLACE (absent de la table)');
  assert.equal(targetOptions('sales:PAIN', codes, names).filter((o) => o.value === 'sales:PAIN').length, 1);
  assert.equal(targetOptions('date').length, 5); // no table yet: the fields only
});

test('the ignored columns are named, singular or plural', () => {
  assert.equal(ignoredText([]), '');
  assert.equal(ignoredText(undefined), '');
  assert.equal(ignoredText(['Note']), 'Colonne ignorée (valeurs non importées) : Note.');
  assert.equal(ignoredText(['Rayon pain', 'Especes']),
    'Colonnes ignorées (valeurs non importées) : Rayon pain, Especes.');
});

test('a spreadsheet saved in ISO-8859-15 keeps its accents', async () => {
  const latin = new Uint8Array([0x63, 0x61, 0x69, 0x73, 0x73, 0x65, 0x3b, 0x4d, 0x61, 0x72, 0x63, 0x68, 0xe9]); // caisse;Marché
  assert.equal(await readText({ arrayBuffer: async () => latin.buffer }), 'caisse;Marché');
  const utf8 = new TextEncoder().encode('caisse;Marché');
  assert.equal(await readText({ arrayBuffer: async () => utf8.buffer }), 'caisse;Marché');
});

test('only a real calendar date is shown as a French date', () => {
  assert.equal(isIsoDate('2026-12-01'), true);
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2026-13-01'), false);
  assert.equal(isIsoDate('2025-02-30'), false);
  assert.equal(isIsoDate('01/12/2026'), false);
  assert.equal(isIsoDate(undefined), false);
});

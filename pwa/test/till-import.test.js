// The CSV import screen's helpers: French field names for the per-line errors, computed plurals,
// the column choices, and a file in ISO-8859-15 read as such.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldLabel, linesText, readText, targetOptions } from '../src/till/import.js';

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

test('a code column offers its own target besides the fields', () => {
  const values = targetOptions('sales:PAIN').map((o) => o.value);
  assert.deepEqual(values, ['ignore', 'register', 'date', 'z_number', 'sales_count', 'sales:PAIN']);
  assert.equal(targetOptions('date').length, 5);
});

test('a spreadsheet saved in ISO-8859-15 keeps its accents', async () => {
  const latin = new Uint8Array([0x63, 0x61, 0x69, 0x73, 0x73, 0x65, 0x3b, 0x4d, 0x61, 0x72, 0x63, 0x68, 0xe9]); // caisse;Marché
  assert.equal(await readText({ arrayBuffer: async () => latin.buffer }), 'caisse;Marché');
  const utf8 = new TextEncoder().encode('caisse;Marché');
  assert.equal(await readText({ arrayBuffer: async () => utf8.buffer }), 'caisse;Marché');
});

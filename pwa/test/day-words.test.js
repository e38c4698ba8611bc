import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plural, savedText } from '../src/day/words.js';
import { KIND_LABELS } from '../src/day/flow-specs.js';

test('plural: 0 and 1 singular in French, 2 and more plural, irregular forms given', () => {
  assert.equal(plural(0, 'chèque'), '0 chèque');
  assert.equal(plural(1, 'chèque'), '1 chèque');
  assert.equal(plural(2, 'chèque'), '2 chèques');
  assert.equal(plural(12, 'journée'), '12 journées');
  assert.equal(plural(-3, 'écart'), '-3 écarts');
  assert.equal(plural(3, 'bon cadeau', 'bons cadeaux'), '3 bons cadeaux');
  assert.equal(plural(1, 'bon cadeau', 'bons cadeaux'), '1 bon cadeau');
});

test('a saved movement agrees with its gender: « Sortie … enregistrée », « Apport … enregistré »', () => {
  assert.equal(savedText('cash_out', '20,00 €'), 'Sortie de 20,00 € enregistrée.');
  assert.equal(savedText('expense', '12,40 €'), 'Dépense de 12,40 € enregistrée.');
  assert.equal(savedText('deposit', '40,00 €'), 'Remise en banque de 40,00 € enregistrée.');
  assert.equal(savedText('void', '5,00 €'), 'Annulation de 5,00 € enregistrée.');
  assert.equal(savedText('cash_in', '12,30 €'), 'Apport de 12,30 € enregistré.');
  assert.equal(savedText('transfer', '1,00 €'), 'Transfert de 1,00 € enregistré.');
  assert.equal(savedText('voucher_sold', '50,00 €'), 'Bon cadeau vendu de 50,00 € enregistré.');
});

test('every movement kind of the forms has its own word (never the generic « Mouvement »), no « (e) »', () => {
  for (const kind of Object.keys(KIND_LABELS)) {
    const text = savedText(kind, '1,00 €');
    assert.doesNotMatch(text, /^Mouvement /, kind);
    assert.doesNotMatch(text, /\(e\)|\(s\)/, kind);
    assert.match(text, /^\S.* de 1,00 € enregistrée?\.$/, kind);
  }
  assert.equal(savedText('unknown_kind', '1,00 €'), 'Mouvement de 1,00 € enregistré.');
});

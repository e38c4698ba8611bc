// The screens' doorway to the cash rules of src/domain/ (the JS twin of domain/): money
// parsing and display, VAT split, the day's balances and its findings. The screens call
// these, never the domain directly, so a rename there is fixed here once.
import * as D from './domain/index.js';

/** Wire string ("633.00") → cents. */
export const fromWire = (value) => D.parseWire(value);
/** Cents → wire string with two decimals. */
export const toWire = (cents) => D.toWire(cents);
/** Cents → « 1 234,56 € ». */
export const money = (cents) => (cents === null || cents === undefined ? '—' : D.formatFr(cents));
/** Cents → « 1 234,56 » (for an input's value). */
export const moneyPlain = (cents) => D.formatFr(cents, { symbol: false });

/** Keypad text → {cents} | {empty: true} | {error: message_fr}. Comma or dot, spaces, « € ». */
export function parseAmount(text) {
  if (text === null || text === undefined || String(text).trim() === '') return { empty: true };
  try {
    return { cents: D.parseFr(String(text)) };
  } catch (error) {
    return { error: error?.messageFr ?? 'Montant invalide.' };
  }
}

/** [ht, vat] of a TTC amount at a rate in basis points. */
export function splitVat(ttc, vatBp) {
  return D.splitTtc(ttc, vatBp);
}

/**
 * Balances and findings of a day input (see day/input.js). Never throws: an unreadable input
 * (a line pointing to a deleted category…) comes back as `error`, with no result.
 */
export function evaluateDay(input, atClose = false) {
  try {
    const normalized = D.normalizeDayInput(input);
    const findings = D.evaluate(normalized, atClose);
    return { result: D.computeDay(normalized), findings, canClose: D.canClose(findings), error: null };
  } catch (error) {
    if (!(error instanceof D.DomainError)) console.warn('day evaluation failed', error?.name);
    return { result: null, findings: [], canClose: false, error: error?.messageFr ?? 'Saisie illisible.' };
  }
}

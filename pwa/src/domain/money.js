// Money: integer cents inside, decimal strings on the wire, French text on screen.
// Twin of domain/money.py; schema/vectors/money.json holds both to the same bytes.
// Numbers are always integers here: |cents| <= MAX_CENTS, far below 2**53.

export const MAX_CENTS = 99_999_999_999;
export const MAX_WIRE_LENGTH = 13; // "-999999999.99": longer text is refused before any conversion
const MAX_EUROS = 999_999_999;
export const NNBSP = '\u202f'; // thousands separator of fr-FR Intl
export const NBSP = '\u00a0'; // between the amount and "€"

export class DomainError extends Error {
  constructor(messageFr, field = null) {
    super(messageFr);
    this.name = new.target.name;
    this.messageFr = messageFr;
    this.field = field;
  }
}
export class MoneyError extends DomainError {}

const WIRE = /^(-?)([0-9]{1,9})(?:\.([0-9]{1,2}))?$/;
const KEYPAD = /^([+\-\u2212]?)[ \u00a0\u202f\u2009]*([0-9](?:[ \u00a0\u202f\u2009]?[0-9])*)?(?:([.,])([0-9]*))?$/;
const EDGES = /^[ \u00a0\u202f\u2009\t]+|[ \u00a0\u202f\u2009\t]+$/g;
const SPACES = /[ \u00a0\u202f\u2009]/g;

function cents(sign, euros, decimals, shown) {
  decimals = decimals || '';
  if (decimals.length > 2) throw new MoneyError(`« ${shown} » : un montant a au plus deux décimales.`);
  const whole = parseInt(euros.replace(SPACES, '') || '0', 10);
  if (whole > MAX_EUROS) {
    throw new MoneyError(`« ${shown} » : montant trop grand (999 999 999,99 € au plus).`);
  }
  const value = whole * 100 + parseInt((decimals + '00').slice(0, 2), 10);
  return (sign === '-' || sign === '\u2212') && value ? -value : value;
}

/** Wire amount ("633.00", "-2", or a whole-euro number) → cents. */
export function parseWire(value) {
  if (typeof value === 'boolean') throw new MoneyError('Un montant ne peut pas être vrai ou faux.');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyError("Ce montant n’est pas un nombre.");
    if (!Number.isInteger(value)) {
      throw new MoneyError('Les centimes voyagent en texte (« 12.34 »), jamais en nombre à virgule.');
    }
    if (Math.abs(value) > MAX_EUROS) throw new MoneyError('Montant trop grand (999 999 999,99 € au plus).');
    return value === 0 ? 0 : value * 100;
  }
  if (typeof value !== 'string') throw new MoneyError('Montant manquant ou illisible.');
  if (value.length > MAX_WIRE_LENGTH) throw new MoneyError('Montant trop long (format attendu : 1234.56).');
  const m = WIRE.exec(value);
  if (m === null) {
    throw new MoneyError(/^[\x20-\x7e]*$/.test(value)
      ? `« ${value} » n’est pas un montant (format attendu : 1234.56).`
      : "Ce texte n’est pas un montant (format attendu : 1234.56).");
  }
  return cents(m[1], m[2], m[3], value);
}

/** Keypad text ("1 234,56 €", "12.5", "-2", ",50") → cents. */
export function parseFr(text) {
  if (typeof text !== 'string') throw new MoneyError('Montant manquant ou illisible.');
  const shown = text.replace(EDGES, '');
  let body = shown.endsWith('€') ? shown.slice(0, -1) : shown;
  body = (body.startsWith('€') ? body.slice(1) : body).replace(EDGES, '');
  const m = KEYPAD.exec(body);
  if (m === null || !(m[2] || m[4])) throw new MoneyError(`« ${shown} » n’est pas un montant.`);
  return cents(m[1], m[2] || '', m[4], shown);
}

function check(value) {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError('Un montant interne doit être un nombre entier de centimes.');
  }
  return value;
}

/** Cents → wire string with two decimals: -200 → "-2.00". */
export function toWire(value) {
  const sign = check(value) < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents → French display: 123456 → "1 234,56 €" (U+202F, U+00A0), as Intl fr-FR writes it. */
export function formatFr(value, { symbol = true } = {}) {
  const sign = check(value) < 0 ? '-' : '';
  const abs = Math.abs(value);
  const grouped = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
  const text = `${sign}${grouped},${String(abs % 100).padStart(2, '0')}`;
  return symbol ? `${text}${NBSP}€` : text;
}

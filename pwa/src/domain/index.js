// Caisse's cash-day rules for the browser: pure, no dependencies, no I/O.
// The JavaScript twin of the Python package domain/ — schema/vectors/ holds both to the same results.
// Amounts are integer cents (plain Numbers, always integers); VAT rates are basis points.

export { DomainError, MoneyError, MAX_CENTS, MAX_WIRE_LENGTH, parseWire, parseFr, toWire, formatFr } from './money.js';
export { BP_SCALE, divRoundHalfAway, splitTtc, vatLines } from './vat.js';
export {
  InputError, FLOW_KINDS, METHOD_KINDS, EFFECTS, CONTRIBUTIONS, idCompare, normalizeDayInput, activeFlows,
  computeDay,
} from './day.js';
export { evaluate, canClose, label, isBlank } from './controls.js';
export {
  ValidationError, validateHeader, validateFlow, validateDate, validateWeeklyPattern, flowRules, flowValues, checkFlowAllowed, KIND_FIELDS,
  REQUIRED, TEXT_LIMITS, MAX_INT,
} from './validation.js';
export { openingDay } from './calendar.js';

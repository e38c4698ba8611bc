// Controls: what is wrong with a day, as values. Twin of domain/controls.py (see its invariants):
// errors (breakdown_mismatch, missing_comment, count_missing) block closing, the rest warns or informs;
// a difference within the tolerance needs no comment (docs/DECISIONS.md);
// findings come sorted by kind, then method id, with the same French messages as the server.

import {
  activeFlows, computeDay, earlierOpenDays, findMethod, idCompare, normalizeDayInput,
} from './day.js';
import { formatFr as fmt } from './money.js';

export const ERROR = 'error';
export const WARNING = 'warning';
export const INFO = 'info';
export const METHOD_NAMES = { cash: 'espèces', cheque: 'chèques', card: 'carte bancaire',
  meal_voucher: 'tickets restaurant', gift_voucher: 'bons cadeaux', customer_credit: 'crédit client',
  other: 'autre moyen' };

const finding = (kind, severity, message_fr, method_id = null, amount = null) =>
  ({ kind, severity, method_id, amount, message_fr });
export const label = (m) => m.label || METHOD_NAMES[m.kind] || String(m.id);
export const isBlank = (text) => typeof text !== 'string' || /^[ \t\r\n\u00a0\u202f]*$/.test(text);

/** All findings of a day (raw JSON-shaped input). Amounts: breakdown = sales − payments;
 * difference = counted − expected; above_max = excess; below_min = shortfall; detail = line − flows. */
export function evaluate(raw, atClose = false) {
  const input = raw.normalized ? raw : normalizeDayInput(raw);
  const { settings, day } = input;
  const result = computeDay(input);
  const { totals } = result;
  const found = [];
  const gap = totals.sales_ttc - totals.payments_total;
  if (gap) {
    found.push(finding('breakdown_mismatch', ERROR, `Ventilation déséquilibrée : ${fmt(totals.sales_ttc)} `
      + `de ventes pour ${fmt(totals.payments_total)} de paiements (écart ${fmt(gap)}).`, null, gap));
  }
  const blankComment = isBlank(day.comment);
  for (const bal of result.methods) {
    const m = findMethod(settings, bal.method_id);
    const name = label(m);
    if (bal.counted === null) {
      if (atClose) found.push(finding('count_missing', ERROR, `Comptage de clôture manquant : ${name}.`, m.id));
    } else if (bal.difference) {
      const d = bal.difference;
      if (Math.abs(d) > settings.tolerance) {
        found.push(finding('cash_difference', WARNING, `Écart ${name} : ${fmt(d)} (compté ${fmt(bal.counted)}, `
          + `théorique ${fmt(bal.expected)}).`, m.id, d));
      }
      if (blankComment && Math.abs(d) > settings.tolerance) {
        found.push(finding('missing_comment', ERROR, `Écart ${name} de ${fmt(d)} : un commentaire `
          + 'est obligatoire pour clôturer.', m.id, d));
      }
    }
    if (m.kind !== 'cash') continue;
    const held = bal.counted !== null ? bal.counted : bal.expected;
    const high = settings.max_threshold;
    const low = settings.min_threshold;
    if (high && held > high) {
      found.push(finding('above_max', WARNING, `${name} : ${fmt(held)}, au-dessus du plafond de ${fmt(high)} ; `
        + 'une remise en banque est conseillée.', m.id, held - high));
    }
    if (low !== null && held < low) {
      found.push(finding('below_min', WARNING, `${name} : ${fmt(held)}, sous le minimum de ${fmt(low)} ; `
        + 'le fond de caisse est insuffisant.', m.id, low - held));
    }
  }
  if (!settings.opening_day) {
    found.push(finding('closed_calendar_date', WARNING, "Cette date n’est pas un jour d’ouverture du calendrier."));
  }
  const opts = settings.options;
  const flows = activeFlows(day.flows);
  for (const [kind, flowKind, methodKind, enabled, text] of [
    ['voucher_mismatch', 'voucher_redeemed', 'gift_voucher', opts.opt_gift_vouchers,
      (a, b, c) => `Bons cadeaux : ${a} en paiement, ${b} de bons utilisés saisis (écart ${c}).`],
    ['credit_mismatch', 'credit_granted', 'customer_credit',
      opts.opt_customer_credit && opts.credit_mode === 'detailed',
      (a, b, c) => `Crédit client : ${a} en paiement, ${b} de mises en compte saisies (écart ${c}).`],
  ]) {
    const line = [...result.methods, ...result.automatic].filter((b) => b.kind === methodKind)
      .reduce((a, b) => a + b.contributions.payments, 0);
    const detail = flows.filter((f) => f.kind === flowKind).reduce((a, f) => a + f.amount, 0);
    if (enabled && line !== detail) {
      found.push(finding(kind, WARNING, text(fmt(line), fmt(detail), fmt(line - detail)), null, line - detail));
    }
  }
  for (const on of earlierOpenDays(input)) {
    found.push(finding('earlier_day_open', INFO, `La journée du ${frDate(on)} est encore ouverte ; `
      + "l’ouverture reprend le dernier comptage de la caisse."));
  }
  if (opts.opt_gift_vouchers && opts.credit_mode === 'detailed' && input.voucher_codes !== null) {
    found.push(...voucherFindings(flows, input.voucher_codes));
  }
  return found.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
    || (a.method_id === null ? (b.method_id === null ? 0 : -1) : b.method_id === null ? 1
      : idCompare(a.method_id, b.method_id)));
}

const frDate = (iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Redemptions of codes never sold or already used, walking the day's flows in order. */
function voucherFindings(flows, known) {
  const state = new Map(Object.entries(known));
  const found = [];
  for (const flow of flows) {
    const code = flow.code ?? '';
    if (flow.kind === 'voucher_sold') {
      state.set(code, 'open');
    } else if (flow.kind === 'voucher_redeemed' || flow.kind === 'voucher_expired') {
      if (flow.kind === 'voucher_redeemed' && !state.has(code)) {
        found.push(finding('voucher_unknown', WARNING, `Bon cadeau « ${code} » utilisé mais jamais vendu : `
          + 'vérifiez son numéro.', null, flow.amount));
      } else if (flow.kind === 'voucher_redeemed' && state.get(code) === 'used') {
        found.push(finding('voucher_already_used', WARNING, `Bon cadeau « ${code} » déjà utilisé ou expiré : `
          + 'vérifiez son numéro.', null, flow.amount));
      }
      state.set(code, 'used');
    }
  }
  return found;
}

/** A day closes when no finding is an error. */
export const canClose = (findings) => !findings.some((f) => f.severity === ERROR);

// checkFlowAllowed and the flow rules moved to validation.js (twin of domain/validation.py).

// One movement in a section's list, with « Annuler » (a `void` flow with a reason) on open days.
import { h } from '../lib/dom.js';
import { money, fromWire } from '../cash.js';
import { showError } from '../components/toast.js';
import { KIND_LABELS } from './flow-specs.js';
import { vatLabel } from '../lib/settings.js';
import { plural } from './words.js';

function describe(dc, flow, methodName) {
  const parts = [KIND_LABELS[flow.kind] ?? flow.kind];
  if (flow.method_id != null) parts.push(methodName(flow.method_id));
  if (flow.kind === 'transfer' && flow.to_method_id != null) parts.push(`vers ${methodName(flow.to_method_id)}`);
  if (flow.supplier_id != null) parts.push(dc.suppliers.find((s) => s.id === flow.supplier_id)?.name ?? 'Fournisseur');
  if (flow.customer_id != null) parts.push(dc.customers.find((c) => c.id === flow.customer_id)?.name ?? 'Client');
  if (flow.label) parts.push(flow.label);
  if (flow.kind === 'expense' && flow.vat_bp != null) parts.push(`TVA ${vatLabel(flow.vat_bp)}`);
  if (flow.code) parts.push(`bon ${flow.code}`);
  if (flow.slip_number) parts.push(`bordereau ${flow.slip_number}`);
  if (flow.cheque_count) parts.push(plural(flow.cheque_count, 'chèque'));
  if (flow.reason) parts.push(flow.reason);
  return parts.join(' · ');
}

function amountOf(flow) {
  try {
    return money(fromWire(flow.amount));
  } catch {
    return '—';
  }
}

export function flowRow(dc, flow, { voided, methodName }) {
  const row = h('li', { class: `flow ${voided ? 'voided' : ''}`.trim(), testid: 'flow-item', 'data-flow-id': flow.id, 'data-kind': flow.kind },
    h('span', { class: 'flow-text' }, describe(dc, flow, methodName)),
    h('span', { class: 'flow-amount' }, amountOf(flow)),
    flow.pending ? h('span', { class: 'pill pill-pending' }, 'en attente d’envoi') : null,
    voided ? h('span', { class: 'pill pill-off' }, 'annulé') : null,
  );
  if (dc.readOnly || voided) return row;
  const cancel = h('button', {
    type: 'button', class: 'button small', testid: 'void-flow', 'aria-label': `Annuler : ${KIND_LABELS[flow.kind] ?? ''} ${amountOf(flow)}`,
  }, 'Annuler');
  cancel.addEventListener('click', () => {
    const reason = h('input', { id: `void-${flow.id}`, type: 'text', 'aria-label': 'Motif de l’annulation', testid: 'void-reason', placeholder: 'Motif de l’annulation' });
    const message = h('p', { class: 'field-error', id: `void-${flow.id}-error`, testid: 'void-reason-error', hidden: true });
    const confirm = h('button', { type: 'button', class: 'button small danger', testid: 'void-confirm' }, 'Confirmer l’annulation');
    const back = h('button', { type: 'button', class: 'button small' }, 'Garder');
    const box = h('div', { class: 'void-box' }, reason, confirm, back, message);
    reason.addEventListener('input', () => {
      message.hidden = true;
      reason.removeAttribute('aria-invalid');
    });
    cancel.replaceWith(box);
    reason.focus();
    back.addEventListener('click', () => box.replaceWith(cancel));
    confirm.addEventListener('click', async () => {
      if (!reason.value.trim()) {
        reason.setAttribute('aria-invalid', 'true');
        reason.setAttribute('aria-describedby', message.id);
        message.textContent = 'Indiquez le motif de l’annulation.';
        message.hidden = false;
        reason.focus();
        return;
      }
      confirm.disabled = true;
      try {
        await dc.model.addFlow({ kind: 'void', voids: flow.id, reason: reason.value.trim() });
      } catch (error) {
        showError(error, 'L’annulation n’a pas pu être enregistrée.');
        confirm.disabled = false;
      }
    });
  });
  row.append(cancel);
  return row;
}

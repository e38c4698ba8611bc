// « Ventilation »: the day's sales split over the payment methods; what is left to split shows live.
import { h, section } from '../lib/dom.js';
import { moneyInput } from '../components/money-input.js';
import { money } from '../cash.js';
import { lineAmount, withLine } from './input.js';
import { tillNote } from './till-note.js';

export function paymentsSection(dc) {
  const { model } = dc;
  const rows = dc.methods.map((method) => {
    const input = moneyInput({
      label: method.label,
      testid: `payment-${method.id}`,
      value: lineAmount(model.header.payments, 'method_id', method.id),
      disabled: dc.zLocked,
      allowNegative: true,
      onChange: (wire) => model.setFrom(`payment-${method.id}`, null, 'payments', withLine(model.header.payments, 'method_id', method.id, wire)),
      onInvalid: (message) => model.setFrom(`payment-${method.id}`, message, 'payments', withLine(model.header.payments, 'method_id', method.id, null)),
    });
    return { method, input };
  });
  const total = h('output', { testid: 'payments-total' });
  const gap = h('output', { testid: 'breakdown-gap' });
  const gapRow = h('div', { class: 'gap' }, h('dt', {}, 'Reste à ventiler'), h('dd', {}, gap));

  const el = section('Ventilation par moyen de paiement', { testid: 'section-payments' },
    tillNote(dc, 'till-note-payments'),
    h('div', { class: 'grid-lines' }, rows.map((r) => r.input.el)),
    h('dl', { class: 'totals' },
      h('div', {}, h('dt', {}, 'Total des paiements'), h('dd', {}, total)),
      gapRow,
    ),
  );

  return {
    el,
    update({ evaluation }) {
      const t = evaluation.result?.totals;
      total.textContent = t ? money(t.payments_total) : '—';
      const rest = t ? t.sales_ttc - t.payments_total : null;
      gap.textContent = rest === null ? '—' : money(rest);
      gapRow.dataset.state = rest ? 'error' : 'ok';
    },
    refresh(current) {
      for (const r of rows) r.input.setValue(lineAmount(current.payments, 'method_id', r.method.id));
    },
  };
}

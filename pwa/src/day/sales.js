// Ticket Z: its number, sales per « Classification » in the Z order with HT and TVA derived
// live, and the « nombre de ventes » (panier moyen follows).
import { h, section, field } from '../lib/dom.js';
import { moneyInput, countInput } from '../components/money-input.js';
import { money, fromWire, splitVat } from '../cash.js';
import { lineAmount, withLine } from './input.js';
import { vatLabel } from '../lib/settings.js';
import { tillNote } from './till-note.js';

export function salesSection(dc) {
  const { model } = dc;
  const header = model.header;
  const zInput = h('input', {
    type: 'text', autocomplete: 'off', inputmode: 'numeric', testid: 'z-number', disabled: dc.zLocked, maxlength: 40,
    value: header.z_number ?? '', enterkeyhint: 'next',
  });
  zInput.addEventListener('input', () => model.set('z_number', zInput.value.trim()));

  const rows = dc.categories.map((cat) => {
    const ht = h('output', { testid: `sales-ht-${cat.id}` });
    const vat = h('output', { testid: `sales-vat-${cat.id}` });
    const input = moneyInput({
      label: `${cat.label} (TVA ${vatLabel(cat.vat_bp)})`,
      testid: `sales-${cat.id}`,
      value: lineAmount(header.sales, 'category_id', cat.id),
      disabled: dc.zLocked,
      allowNegative: true, // returns on the Z
      onChange: (wire) => model.setFrom(`sales-${cat.id}`, null, 'sales', withLine(model.header.sales, 'category_id', cat.id, wire)),
      // Shown in error: its line leaves the day (not the last valid keystroke) until it is fixed.
      onInvalid: (message) => model.setFrom(`sales-${cat.id}`, message, 'sales', withLine(model.header.sales, 'category_id', cat.id, null)),
    });
    const row = h('div', { class: 'line-row' }, input.el,
      h('p', { class: 'derived' }, 'HT ', ht, ' · TVA ', vat));
    return { cat, input, ht, vat, row };
  });

  const count = countInput({
    label: 'Nombre de ventes',
    testid: 'sales-count',
    value: header.sales_count,
    disabled: dc.zLocked,
    hint: 'Nombre de tickets, lu sur le ticket Z.',
    // The wire wants a count ≥ 0: an emptied field means no sale typed yet.
    onChange: (n) => model.setFrom('sales-count', null, 'sales_count', n ?? 0),
    onInvalid: (message) => model.setFrom('sales-count', message, 'sales_count', 0),
  });

  const totals = {
    ttc: h('output', { testid: 'total-ttc' }),
    ht: h('output', { testid: 'total-ht' }),
    vat: h('output', { testid: 'total-vat' }),
    basket: h('output', { testid: 'average-basket' }),
  };

  const el = section('Ticket Z', { testid: 'section-z' },
    tillNote(dc),
    field('Numéro du ticket Z', zInput),
    h('h3', {}, 'Ventes par classification'),
    dc.categories.length ? h('div', { class: 'grid-lines' }, rows.map((r) => r.row))
      : h('p', { class: 'notice' }, 'Aucune classification n’est paramétrée pour cette société.'),
    count.el,
    h('dl', { class: 'totals' },
      h('div', {}, h('dt', {}, 'CA TTC'), h('dd', {}, totals.ttc)),
      h('div', {}, h('dt', {}, 'dont HT'), h('dd', {}, totals.ht)),
      h('div', {}, h('dt', {}, 'dont TVA'), h('dd', {}, totals.vat)),
      h('div', {}, h('dt', {}, 'Panier moyen'), h('dd', {}, totals.basket)),
    ),
  );

  return {
    el,
    update({ header: current, evaluation }) {
      for (const r of rows) {
        const wire = lineAmount(current.sales, 'category_id', r.cat.id);
        let split = null;
        try {
          split = wire === null ? null : splitVat(fromWire(wire), r.cat.vat_bp);
        } catch {
          split = null;
        }
        r.ht.textContent = split ? money(split[0]) : '—';
        r.vat.textContent = split ? money(split[1]) : '—';
      }
      const t = evaluation.result?.totals;
      totals.ttc.textContent = t ? money(t.sales_ttc) : '—';
      totals.ht.textContent = t ? money(t.sales_ht) : '—';
      totals.vat.textContent = t ? money(t.sales_vat) : '—';
      totals.basket.textContent = t && t.average_basket !== null && t.average_basket !== undefined ? money(t.average_basket) : '—';
    },
    refresh(current) {
      if (document.activeElement !== zInput) zInput.value = current.z_number ?? '';
      for (const r of rows) r.input.setValue(lineAmount(current.sales, 'category_id', r.cat.id));
      count.setValue(current.sales_count);
    },
  };
}

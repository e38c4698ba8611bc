// Per manual method (espèces, chèques…): fond de caisse, « solde théorique » live with its
// detail, « solde réel » (typed or by billetage for cash) and the « écart de caisse ».
import { h, section } from '../lib/dom.js';
import { moneyInput, countInput } from '../components/money-input.js';
import { money, toWire } from '../cash.js';
import { lineAmount, withLine } from './input.js';
import { DENOMINATIONS, denominationLabel, gridTotal, cleanGrid } from './billetage.js';

const CONTRIBUTIONS = {
  payments: 'Encaissements du jour', credit_settled: 'Règlements de crédit-client', voucher_sold: 'Bons cadeaux vendus',
  cash_in: 'Apports', cash_out: 'Sorties', expense: 'Dépenses espèces', refund: 'Remboursements',
  deposit: 'Remises en banque', transfer_in: 'Transferts reçus', transfer_out: 'Transferts émis', overpayment: 'Trop-perçus',
};

function gridOf(header, methodId) {
  return (header.counts ?? []).find((l) => String(l.method_id) === String(methodId))?.grid ?? {};
}

function billetage(dc, method) {
  const { model } = dc;
  const total = h('output', { testid: `grid-total-${method.id}` });
  // The grid from the cells' text: a cell that is not a whole number counts for nothing.
  const recount = (testid, message) => {
    const grid = {};
    for (const item of inputs) {
      const text = item.input.input.value.replace(/\s/g, '');
      const q = /^\d{1,9}$/.test(text) ? Number(text) : 0;
      if (Number.isInteger(q) && q > 0) grid[String(item.d)] = q;
    }
    const clean = cleanGrid(grid);
    const sum = gridTotal(clean);
    const amount = Object.keys(clean).length ? toWire(sum) : null;
    model.setFrom(testid, message, 'counts', withLine(model.header.counts, 'method_id', method.id, amount, amount ? { grid: clean } : {}));
  };
  const inputs = DENOMINATIONS.map((d) => {
    const input = countInput({
      bare: true,
      label: `Nombre de ${d >= 500 ? 'billets' : 'pièces'} de ${denominationLabel(d)}`,
      testid: `grid-${method.id}-${d}`,
      value: gridOf(model.header, method.id)[String(d)] ?? null,
      disabled: dc.readOnly,
      onChange: () => recount(`grid-${method.id}-${d}`, null),
      // A quantity in error counts for nothing (not the previous one) and shows its message.
      onInvalid: (message) => recount(`grid-${method.id}-${d}`, message),
    });
    return { d, input };
  });
  const rows = inputs.map(({ d, input }) => h('tr', {},
    h('th', { scope: 'row' }, denominationLabel(d)),
    h('td', {}, input.el)));
  const counted = Object.keys(gridOf(model.header, method.id)).length > 0;
  const el = h('details', { class: 'billetage', testid: `grid-toggle-${method.id}`, open: counted },
    h('summary', {}, 'Billetage (compter billets et pièces)'),
    h('table', {},
      h('caption', { class: 'visually-hidden' }, `Billetage ${method.label}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Valeur'), h('th', { scope: 'col' }, 'Quantité'))),
      h('tbody', {}, rows)),
    h('p', {}, 'Total compté : ', total));
  return {
    el,
    update(header) {
      const grid = gridOf(header, method.id);
      total.textContent = money(gridTotal(grid));
      for (const { d, input } of inputs) input.setValue(grid[String(d)] ?? null);
    },
  };
}

function methodCard(dc, method) {
  const { model } = dc;
  const expected = h('output', { testid: `expected-${method.id}` });
  const difference = h('output', { testid: `difference-${method.id}` });
  const detail = h('dl', { class: 'detail' });
  const openingNote = h('p', { class: 'hint', testid: `opening-note-${method.id}` });
  const opening = moneyInput({
    label: 'Fond de caisse (ouverture)', testid: `opening-${method.id}`, disabled: dc.readOnly,
    value: lineAmount(model.header.opening, 'method_id', method.id),
    onChange: (wire) => model.setFrom(`opening-${method.id}`, null, 'opening', withLine(model.header.opening, 'method_id', method.id, wire)),
    onInvalid: (message) => model.setFrom(`opening-${method.id}`, message, 'opening', withLine(model.header.opening, 'method_id', method.id, null)),
  });
  const count = moneyInput({
    label: 'Solde réel compté', testid: `count-${method.id}`, disabled: dc.readOnly,
    value: lineAmount(model.header.counts, 'method_id', method.id),
    onChange: (wire) => model.setFrom(`count-${method.id}`, null, 'counts', withLine(model.header.counts, 'method_id', method.id, wire)),
    onInvalid: (message) => model.setFrom(`count-${method.id}`, message, 'counts', withLine(model.header.counts, 'method_id', method.id, null)),
  });
  const grid = method.kind === 'cash' ? billetage(dc, method) : null;
  let carriedWire = null;
  const diffRow = h('div', { class: 'difference' }, h('dt', {}, 'Écart de caisse'), h('dd', {}, difference));
  const el = h('article', { class: 'method-card', testid: `method-${method.id}` },
    h('h3', {}, method.label),
    opening.el, openingNote,
    h('dl', { class: 'totals' }, h('div', {}, h('dt', {}, 'Solde théorique'), h('dd', {}, expected))),
    h('details', {}, h('summary', {}, 'Détail du solde théorique'), detail),
    count.el,
    grid?.el,
    h('dl', { class: 'totals' }, diffRow));
  return {
    el,
    update({ evaluation }) {
      const bal = evaluation.result?.methods?.find((b) => String(b.method_id) === String(method.id));
      expected.textContent = bal ? money(bal.expected) : '—';
      difference.textContent = bal && bal.difference !== null && bal.difference !== undefined ? money(bal.difference) : '—';
      diffRow.dataset.state = bal?.difference ? 'error' : 'ok';
      const carried = bal?.carried_opening;
      openingNote.textContent = [
        carried !== null && carried !== undefined ? `Report du comptage précédent : ${money(carried)}.` : 'Aucun comptage précédent : saisissez le fond de caisse.',
        bal?.opening_difference ? `Écart d’ouverture : ${money(bal.opening_difference)}.` : '',
      ].join(' ').trim();
      // The carried amount is the opening until another one is typed: shown as a real value.
      carriedWire = carried !== null && carried !== undefined ? toWire(carried) : null;
      const lines = [['Fond de caisse', bal?.opening ?? 0]];
      for (const [key, label] of Object.entries(CONTRIBUTIONS)) if (bal?.contributions?.[key]) lines.push([label, bal.contributions[key]]);
      detail.replaceChildren(...lines.map(([label, cents]) => h('div', {}, h('dt', {}, label), h('dd', {}, money(cents)))));
    },
    refresh(header) {
      opening.setValue(lineAmount(header.opening, 'method_id', method.id) ?? carriedWire);
      count.setValue(lineAmount(header.counts, 'method_id', method.id));
      grid?.update(header);
    },
  };
}

export function countsSection(dc) {
  const cards = dc.manual.map((m) => methodCard(dc, m));
  const el = section('Solde théorique et solde réel', { testid: 'section-counts' },
    cards.length ? h('div', { class: 'cards' }, cards.map((c) => c.el))
      : h('p', {}, 'Aucun moyen de paiement à dépôt manuel (espèces, chèques) n’est paramétré.'));
  return {
    el,
    update(state) {
      for (const c of cards) c.update(state);
    },
    refresh(header) {
      for (const c of cards) c.refresh(header);
    },
  };
}

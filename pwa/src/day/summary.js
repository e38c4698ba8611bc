// The bar that stays on screen while the day scrolls: CA TTC, what is left to split over the
// payment methods, the cash difference of each counted method, and the way to the closing.
import { h } from '../lib/dom.js';
import { money } from '../cash.js';

export function summaryBar(dc) {
  const ttc = h('output', { testid: 'sticky-ttc' });
  const rest = h('output', { testid: 'sticky-rest' });
  const diffs = dc.manual.map((m) => ({ m, out: h('output', { testid: `sticky-diff-${m.id}` }) }));
  const restBox = h('div', { class: 'sum-item' }, h('span', {}, 'Reste à ventiler'), rest);
  const diffBoxes = diffs.map(({ m, out }) => h('div', { class: 'sum-item' }, h('span', {}, `Écart ${m.label.toLowerCase()}`), out));
  const go = h('a', { class: 'button small primary', href: '#', testid: 'sticky-close', onclick: (e) => {
    e.preventDefault();
    const target = document.querySelector('[data-testid=section-closing]');
    target?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    target?.querySelector('textarea, button')?.focus({ preventScroll: true });
  } }, dc.readOnly ? 'Clôture' : 'Contrôles et clôture');
  const el = h('div', { class: 'day-summary', role: 'region', 'aria-label': 'Totaux de la journée', testid: 'day-summary' },
    h('div', { class: 'sum-item' }, h('span', {}, 'CA TTC'), ttc), restBox, diffBoxes, go);
  return {
    el,
    update({ evaluation }) {
      const t = evaluation.result?.totals;
      ttc.textContent = t ? money(t.sales_ttc) : '—';
      const left = t ? t.sales_ttc - t.payments_total : null;
      rest.textContent = left === null ? '—' : money(left);
      restBox.dataset.state = left ? 'error' : 'ok';
      diffs.forEach(({ m, out }, i) => {
        const bal = evaluation.result?.methods?.find((b) => String(b.method_id) === String(m.id));
        const d = bal?.difference;
        out.textContent = d === null || d === undefined ? '—' : money(d);
        diffBoxes[i].dataset.state = d ? 'error' : 'ok';
      });
    },
    refresh() {},
  };
}

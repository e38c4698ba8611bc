// Small building blocks shared by the report views: figure cards, tables with a caption, file downloads.
import { h } from '../lib/dom.js';
import { fromWire, money } from '../cash.js';
import { download } from '../screens/export.js';
import { percent } from './report-query.js';

/** Wire amount ("12.34" or null) → « 12,34 € » / « — ». */
export const eur = (wire) => (wire === null || wire === undefined ? '—' : money(fromWire(wire)));
/** Wire amount → euros as a number (for the charts). */
export const num = (wire) => (wire === null || wire === undefined ? null : fromWire(wire) / 100);

/** A comparison {value, reference, gap, pct_bp} as « +1 234,00 € (+5,2 %) ». */
export function gapText(c) {
  if (!c || c.reference === null || c.reference === undefined) return 'pas de référence';
  const gap = fromWire(c.gap);
  return `${gap > 0 ? '+' : ''}${money(gap)} (${percent(c.pct_bp)})`;
}

export function figureCard(label, value, detail, testid) {
  return h('div', { class: 'figure-card', testid },
    h('span', { class: 'figure-label' }, label), h('strong', { class: 'figure-value' }, value),
    detail ? h('span', { class: 'figure-detail' }, detail) : null);
}

/**
 * A table: columns [{title, cell(row) → text, num?}], rows, optional footer row (same cells).
 * The caption names it for screen readers (it holds the figures of the chart above it).
 */
export function dataTable(caption, columns, rows, { footer, testid, rowAttrs } = {}) {
  const cell = (tag, column, row) => h(tag, { class: column.num ? 'num' : null }, column.cell(row));
  // The wrapper scrolls sideways on a narrow screen: focusable and named, so the keyboard can scroll it too.
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', { class: 'report-table', testid },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.title)))),
    h('tbody', {}, rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map((c) => cell('td', c, row))))),
    footer ? h('tfoot', {}, h('tr', {}, columns.map((c) => cell('td', c, footer)))) : null));
}

/** « Télécharger : PDF CSV XLSX » buttons for `urls` ({pdf, csv, xlsx}). */
export function downloads(urls, onError) {
  return h('div', { class: 'actions report-downloads', testid: 'report-downloads' },
    h('span', {}, 'Télécharger :'),
    Object.entries(urls).map(([format, url]) => h('button', {
      type: 'button', class: 'button small', testid: `download-${format}`,
      onclick: async () => {
        try {
          await download(url);
        } catch (error) {
          onError(error);
        }
      },
    }, format.toUpperCase())));
}

export function provisionalPill() {
  return h('span', { class: 'pill pill-open' }, 'provisoire');
}

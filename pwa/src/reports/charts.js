// Charts of the reports, with uPlot (≈ 20 KB gzipped, canvas). Chosen over Chart.js (≈ 60 KB gzipped for the
// same three charts) for size; neither exposes a canvas to screen readers, so every chart is an image with a
// label pointing to the table of the same figures that follows it. Loaded only by the reports chunks.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../lib/dom.js';

const BRAND = '#0b5d4b';
const GREY = '#6b746f';
const AMBER = '#b26a00';
const euros = (v) => (v === null || v === undefined ? '' : `${Math.round(v).toLocaleString('fr-FR')} €`);

function frame(title, testid) {
  return h('div', { class: 'report-chart', role: 'img', 'aria-label': `${title} (mêmes chiffres dans le tableau)`, testid });
}

function draw(box, options, data) {
  const width = () => Math.max(280, Math.min(box.clientWidth || 900, 1200));
  const plot = new uPlot({ width: width(), height: 260, ...options }, data, box);
  const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
  observer.observe(box);
  box.dispose = () => {
    observer.disconnect();
    plot.destroy();
  };
  return box;
}

/** Lines over categories: labels on x, one series per {label, values (euros), dashed?}. */
export function lineChart(title, labels, series, testid) {
  const box = frame(title, testid);
  const xs = labels.map((_, i) => i);
  requestAnimationFrame(() => draw(box, {
    title,
    scales: { x: { time: false } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => labels[t] ?? '') }, { values: (_u, ticks) => ticks.map(euros), size: 80 }],
    series: [{ label: 'Jour', value: (_u, v) => labels[v] ?? '' },
      ...series.map((s, i) => ({ label: s.label, stroke: [BRAND, GREY, AMBER][i % 3], width: 2, dash: s.dashed ? [6, 4] : undefined,
        value: (_u, v) => euros(v), spanGaps: false }))],
  }, [xs, ...series.map((s) => s.values)]));
  return box;
}

/** Bars over categories (grouped when several series). */
export function barChart(title, labels, series, testid, xLabel = 'Mois') {
  const box = frame(title, testid);
  const xs = labels.map((_, i) => i);
  const n = series.length;
  requestAnimationFrame(() => draw(box, {
    title,
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? labels[t] ?? '' : '')) },
      { values: (_u, ticks) => ticks.map(euros), size: 80 }],
    series: [{ label: xLabel, value: (_u, v) => labels[v] ?? '' },
      ...series.map((s, i) => ({ label: s.label, fill: [BRAND, '#9aa5a0', AMBER][i % 3], stroke: [BRAND, GREY, AMBER][i % 3],
        value: (_u, v) => euros(v),
        paths: uPlot.paths.bars({ size: [n === 1 ? 0.6 : 0.4, 60], align: n === 1 ? 0 : (i === 0 ? -1 : 1) }) }))],
  }, [xs, ...series.map((s) => s.values)]));
  return box;
}

/** Dispose the charts found under `root` (their resize observers and canvases). */
export function disposeCharts(root) {
  for (const box of root.querySelectorAll('.report-chart')) box.dispose?.();
}

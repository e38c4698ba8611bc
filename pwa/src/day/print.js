// What only paper shows: the head of the « brouillard de caisse » (company, register, date,
// ticket Z, closing) — the rest of the page prints through the print stylesheet (print.css).
import { h } from '../lib/dom.js';
import { longDateFr } from '../lib/dates.js';

export function printHeader(dc, owner) {
  const { model } = dc;
  const day = model.stored ?? {};
  const z = model.header.z_number;
  return h('header', { class: 'print-only print-head', testid: 'print-head' },
    h('p', { class: 'print-title' }, 'Brouillard de caisse'),
    h('p', {}, h('strong', {}, owner.company?.name ?? ''), ` · ${owner.register?.name ?? 'Caisse'}`),
    h('p', {}, `Journée du ${longDateFr(model.date)}${z ? ` · ticket Z n° ${z}` : ''}`),
    model.closed ? h('p', {}, `Clôturée · séquence ${day.sequence ?? '—'}${day.hash ? ` · empreinte ${day.hash.slice(0, 12)}…` : ''}`)
      : h('p', {}, 'Journée ouverte (non clôturée)'));
}

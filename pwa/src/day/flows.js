// The movement sections of the day entry (apports et sorties, dépenses espèces, remises en
// banque, transferts, crédit-client, bons cadeaux, trop-perçus): the day's movements, and ONE
// collapsed « Ajouter » per section that opens the form (a kind chooser when the section has several).
import { h, section } from '../lib/dom.js';
import { methodLabel } from '../lib/settings.js';
import { visibleGroups, KIND_LABELS } from './flow-specs.js';
import { flowRow } from './flow-row.js';
import { flowForm, dash } from './flow-form.js';
import { openItems } from './open-items.js';

function adder(dc, group, extras) {
  const forms = group.kinds.map((kind) => ({ kind, ...flowForm(dc, kind, { ...extras, onAdded: () => close() }) }));
  const summary = h('summary', { class: 'button', testid: `add-open-${group.id}` },
    forms.length === 1 ? `Ajouter : ${KIND_LABELS[group.kinds[0]]}` : 'Ajouter un mouvement');
  const details = h('details', { class: 'adder', testid: `adder-${group.id}` }, summary);
  let chosen = null;
  const pick = (kind) => {
    chosen = kind;
    for (const f of forms) f.form.hidden = f.kind !== kind;
    for (const b of chooser?.querySelectorAll('button') ?? []) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
  };
  const chooser = forms.length > 1
    ? h('div', { class: 'kind-chooser', role: 'group', 'aria-label': 'Type de mouvement' },
      forms.map((f) => h('button', {
        type: 'button', class: 'button small', testid: `pick-${dash(f.kind)}`, 'data-kind': f.kind,
        onclick: () => { pick(f.kind); f.focus(); },
      }, KIND_LABELS[f.kind])))
    : null;
  details.append(h('div', { class: 'adder-body' }, chooser, forms.map((f) => f.form)));
  pick(group.kinds[0]);
  details.addEventListener('toggle', () => {
    if (details.open) forms.find((f) => f.kind === chosen)?.focus();
  });
  function close() {
    details.open = false;
    summary.focus();
  }
  return details;
}

/** Make `list`'s children exactly `rows`, in order, without ever moving a node already in place: the row
 * whose « Annuler » box is open keeps its input attached, so the focus and the text being typed survive a
 * redraw (replaceChildren detached it for an instant: focus lost, the next keystrokes went nowhere). */
export function placeChildren(list, rows) {
  const keep = new Set(rows);
  for (const node of [...list.children]) if (!keep.has(node)) node.remove();
  rows.forEach((row, i) => {
    const here = list.children[i] ?? null;
    if (here !== row) list.insertBefore(row, here);
  });
}

export function flowSections(dc) {
  const groups = visibleGroups(dc.company);
  const items = openItems(dc);
  const parts = groups.map((group) => {
    const list = h('ul', { class: 'flow-list', testid: `flows-${group.id}` });
    const panel = group.id === 'credit' || group.id === 'vouchers' ? items.panel(group.id) : null;
    const el = section(group.title, { testid: `section-${group.id}`, cls: 'flows' },
      list, panel?.el,
      dc.readOnly ? null : adder(dc, group, items.extras));
    return { group, list, el, panel };
  });
  return {
    el: h('div', { class: 'flow-sections' }, items.datalist, parts.map((p) => p.el)),
    update({ flows }) {
      const voided = new Set(flows.filter((f) => f.kind === 'void').map((f) => f.voids));
      for (const part of parts) {
        const mine = flows.filter((f) => part.group.kinds.includes(f.kind) || (part.group.id === 'vouchers' && f.kind === 'voucher_expired'));
        // A row whose « Annuler » box is open stays as it is: a sync never wipes a reason being typed.
        const opened = new Map([...part.list.querySelectorAll('li[data-flow-id]')]
          .filter((li) => li.querySelector('.void-box')).map((li) => [li.dataset.flowId, li]));
        const rows = mine.map((f) => (opened.has(String(f.id)) && !voided.has(f.id) ? opened.get(String(f.id))
          : flowRow(dc, f, { voided: voided.has(f.id), methodName: (id) => methodLabel(dc.view(), id) })));
        placeChildren(part.list, rows.length ? rows : [h('li', { class: 'empty' }, 'Aucun mouvement ce jour.')]);
      }
      items.update(flows);
      for (const part of parts) part.panel?.update();
    },
    refresh() {},
  };
}

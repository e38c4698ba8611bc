// « Encours »: what customers still owe (credit granted − settled) and the gift vouchers still
// open (sold − redeemed − expired), from the replicated flows of every register up to this day.
// They feed a small panel in the crédit-client and bons cadeaux sections and the pickers of
// « Règlement de crédit-client » (customers who owe, with their balance) and « Bon cadeau utilisé »
// (open codes, with what is left on them).
import { h, uid } from '../lib/dom.js';
import { money, fromWire } from '../cash.js';

function cents(flow) {
  try {
    return fromWire(flow.amount);
  } catch {
    return 0;
  }
}

/** Pure: {customers: Map<id, cents>, vouchers: Map<code, cents>} of flows dated up to `date`. */
export function outstanding(flows, date) {
  const live = flows.filter((f) => !date || !f.date || f.date <= date);
  const voided = new Set(live.filter((f) => f.kind === 'void').map((f) => f.voids));
  const customers = new Map();
  const vouchers = new Map();
  for (const f of live) {
    if (voided.has(f.id)) continue;
    if (f.kind === 'credit_granted' && f.customer_id != null) customers.set(f.customer_id, (customers.get(f.customer_id) ?? 0) + cents(f));
    if (f.kind === 'credit_settled' && f.customer_id != null) customers.set(f.customer_id, (customers.get(f.customer_id) ?? 0) - cents(f));
    if (f.code && f.kind === 'voucher_sold') vouchers.set(f.code, (vouchers.get(f.code) ?? 0) + cents(f));
    if (f.code && (f.kind === 'voucher_redeemed' || f.kind === 'voucher_expired')) vouchers.set(f.code, (vouchers.get(f.code) ?? 0) - cents(f));
  }
  for (const [k, v] of customers) if (v <= 0) customers.delete(k);
  for (const [k, v] of vouchers) if (v <= 0) vouchers.delete(k);
  return { customers, vouchers };
}

export function openItems(dc) {
  const datalist = h('datalist', { id: uid('codes'), testid: 'open-vouchers-list' });
  let state = { customers: new Map(), vouchers: new Map() };
  const name = (id) => dc.customers.find((c) => String(c.id) === String(id))?.name ?? `Client ${id}`;
  const compute = () => {
    const view = dc.view();
    state = outstanding(view ? [...view.flows.values()] : [], dc.model.date);
  };
  compute();
  const customerChoices = (kind) => {
    if (kind !== 'credit_settled') return dc.customers.map((c) => ({ value: c.id, label: c.name }));
    const owing = [...state.customers].map(([id, c]) => ({ value: id, label: `${name(id)} — doit ${money(c)}` }));
    const others = dc.customers.filter((c) => !state.customers.has(c.id)).map((c) => ({ value: c.id, label: c.name }));
    return [...owing, ...others];
  };
  const fillCodes = () => datalist.replaceChildren(...[...state.vouchers].map(([code, c]) => h('option', { value: code }, `reste ${money(c)}`)));
  fillCodes();
  return {
    datalist,
    extras: {
      customers: customerChoices,
      datalist,
    },
    update() {
      compute();
      fillCodes();
    },
    panel(groupId) {
      const list = h('ul', { class: 'open-items', testid: `encours-${groupId}` });
      const el = h('details', { class: 'encours' }, h('summary', {}, 'Encours'), list);
      return {
        el,
        update() {
          const rows = groupId === 'credit'
            ? [...state.customers].map(([id, c]) => h('li', {}, h('span', {}, name(id)), h('span', { class: 'flow-amount' }, money(c))))
            : [...state.vouchers].map(([code, c]) => h('li', {}, h('span', {}, `Bon ${code}`), h('span', { class: 'flow-amount' }, money(c))));
          const total = groupId === 'credit' ? [...state.customers.values()] : [...state.vouchers.values()];
          const sum = total.reduce((a, b) => a + b, 0);
          list.replaceChildren(...(rows.length ? rows : [h('li', { class: 'empty' }, groupId === 'credit' ? 'Aucun client ne doit d’argent.' : 'Aucun bon cadeau en cours.')]));
          el.querySelector('summary').textContent = rows.length ? `Encours : ${money(sum)}` : 'Encours : aucun';
        },
      };
    },
  };
}

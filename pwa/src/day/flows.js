// The movement sections of the day entry (apports et sorties, dépenses espèces, remises en
// banque, transferts, crédit-client, bons cadeaux, trop-perçus), each with the day's
// movements and the forms to add one. Only the sections the company enabled are shown.
import { h, section, field, select } from '../lib/dom.js';
import { moneyInput, countInput } from '../components/money-input.js';
import { money, fromWire } from '../cash.js';
import { toast, showError } from '../components/toast.js';
import { VAT_RATES, methodLabel } from '../lib/settings.js';
import { visibleGroups, kindFields, methodsFor, buildFlow, KIND_LABELS } from './flow-specs.js';
import { flowRow } from './flow-row.js';

const dash = (kind) => kind.replace(/_/g, '-');
const MAX_LENGTH = { reason: 500, label: 200, slip_number: 40, code: 40 }; // schema/mutation-flow-add

function control(dc, kind, [name, type, label], values, setErrorTarget) {
  const testid = `${dash(kind)}-${name.replace(/_id$/, '').replace(/_/g, '-')}`;
  const cash = dc.methods.find((m) => m.kind === 'cash');
  if (type === 'money') {
    const m = moneyInput({ label, testid, value: null, allowNegative: kind === 'overpayment', onChange: (w) => { values[name] = w; } });
    return { el: m.el, reset: () => { m.input.value = ''; values[name] = null; }, focus: m.input };
  }
  if (type === 'int') {
    const c = countInput({ label, testid, value: null, onChange: (n) => { values[name] = n; } });
    return { el: c.el, reset: () => { c.input.value = ''; values[name] = null; } };
  }
  if (type === 'bool') {
    const box = h('input', { type: 'checkbox', testid, onchange: () => { values[name] = box.checked; } });
    return { el: h('div', { class: 'field check wide' }, h('label', {}, box, ` ${label}`)), reset: () => { box.checked = false; values[name] = false; } };
  }
  let options = [];
  let initial = '';
  if (type === 'method' || type === 'deposit_method') {
    const allowed = methodsFor(type, dc.methods);
    options = allowed.map((m) => ({ value: m.id, label: m.label }));
    initial = (allowed.find((m) => m.id === cash?.id) ?? allowed[0])?.id ?? '';
    if (name === 'to_method_id') initial = allowed.find((m) => m.id !== initial)?.id ?? '';
  } else if (type === 'supplier') {
    options = [{ value: '', label: 'Autre (libellé libre)' }, ...dc.suppliers.map((s) => ({ value: s.id, label: s.name }))];
  } else if (type === 'customer') {
    options = [{ value: '', label: 'Choisir un client' }, ...dc.customers.map((c) => ({ value: c.id, label: c.name }))];
  } else if (type === 'vat') {
    options = VAT_RATES;
    initial = 2000;
  }
  if (type === 'text') {
    const input = h('input', { type: 'text', testid, autocomplete: 'off', maxlength: MAX_LENGTH[name] ?? 200, oninput: () => { values[name] = input.value; } });
    return { el: field(label, input, { cls: 'wide' }), reset: () => { input.value = ''; values[name] = ''; } };
  }
  const el = select(options, initial, { testid });
  values[name] = initial;
  el.addEventListener('change', () => {
    values[name] = el.value;
    setErrorTarget?.(name, el.value);
  });
  const wide = type === 'supplier' || type === 'customer';
  return { el: field(label, el, { cls: wide ? 'wide' : '' }), reset: () => { el.value = String(initial); values[name] = initial; }, select: el };
}

function flowForm(dc, kind) {
  const fields = kindFields(kind, dc.company);
  const values = {};
  const errors = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: `${dash(kind)}-error` });
  const controls = {};
  const onSelect = (name, value) => {
    // A supplier brings its usual VAT rate.
    if (kind === 'expense' && name === 'supplier_id' && value) {
      const supplier = dc.suppliers.find((s) => String(s.id) === String(value));
      if (supplier?.vat_bp !== undefined && controls.vat_bp?.select) {
        controls.vat_bp.select.value = String(supplier.vat_bp);
        values.vat_bp = supplier.vat_bp;
      }
    }
  };
  for (const spec of fields) controls[spec[0]] = control(dc, kind, spec, values, onSelect);
  const button = h('button', { type: 'submit', class: 'button primary', testid: `add-${dash(kind)}` }, `Ajouter : ${KIND_LABELS[kind]}`);
  const form = h('form', { class: 'flow-form', novalidate: true, testid: `form-${dash(kind)}`, 'aria-label': KIND_LABELS[kind] },
    h('h3', {}, KIND_LABELS[kind]),
    h('div', { class: 'form-grid' }, Object.values(controls).map((c) => c.el)),
    errors, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const built = buildFlow(kind, fields, values);
    if (built.errors) {
      errors.hidden = false;
      errors.textContent = Object.values(built.errors).flat().join(' ');
      return;
    }
    const flow = built.flow;
    if (kind === 'expense' && flow.supplier_id) {
      const account = dc.suppliers.find((s) => s.id === flow.supplier_id)?.expense_account;
      if (account) flow.account = account;
    }
    errors.hidden = true;
    button.disabled = true;
    try {
      await dc.model.addFlow(flow);
      for (const c of Object.values(controls)) c.reset();
      toast(`${KIND_LABELS[kind]} de ${money(fromWire(flow.amount))} enregistré(e).`);
    } catch (error) {
      showError(error, 'Le mouvement n’a pas pu être enregistré.');
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export function flowSections(dc) {
  const groups = visibleGroups(dc.company);
  const parts = groups.map((group) => {
    const list = h('ul', { class: 'flow-list', testid: `flows-${group.id}` });
    const el = section(group.title, { testid: `section-${group.id}` },
      list,
      dc.readOnly ? null : group.kinds.map((kind) => flowForm(dc, kind)));
    return { group, list, el };
  });
  return {
    el: h('div', { class: 'flow-sections' }, parts.map((p) => p.el)),
    update({ flows }) {
      const voided = new Set(flows.filter((f) => f.kind === 'void').map((f) => f.voids));
      for (const part of parts) {
        const mine = flows.filter((f) => part.group.kinds.includes(f.kind) || (part.group.id === 'vouchers' && f.kind === 'voucher_expired'));
        const rows = mine.map((f) => flowRow(dc, f, { voided: voided.has(f.id), methodName: (id) => methodLabel(dc.view(), id) }));
        part.list.replaceChildren(...(rows.length ? rows : [h('li', { class: 'empty' }, 'Aucun mouvement ce jour.')]));
      }
    },
    refresh() {},
  };
}

// The form adding one movement of one kind: its fields from flow-specs, each error shown on its
// own field (form checks, then the JS twin's ValidationError `{errors: {field: [message]}}`).
import { h, field, fieldError, select } from '../lib/dom.js';
import { moneyInput, countInput } from '../components/money-input.js';
import { money, fromWire } from '../cash.js';
import { toast, showError } from '../components/toast.js';
import { VAT_RATES } from '../lib/settings.js';
import { kindFields, methodsFor, buildFlow, KIND_LABELS } from './flow-specs.js';
import { savedText } from './words.js';

export const dash = (kind) => kind.replace(/_/g, '-');
const MAX_LENGTH = { reason: 500, label: 200, slip_number: 40, code: 40 }; // schema/mutation-flow-add

/** An error line under a plain field (select, text, checkbox), wired to aria-describedby/invalid. */
function control(dc, kind, [name, type, label], values, options) {
  const testid = `${dash(kind)}-${name.replace(/_id$/, '').replace(/_/g, '-')}`;
  const cash = dc.methods.find((m) => m.kind === 'cash');
  const touched = () => options.onEdit(name);
  if (type === 'money') {
    const m = moneyInput({
      label, testid, value: null, allowNegative: kind === 'overpayment',
      onChange: (w) => { values[name] = w; touched(); },
      onInvalid: () => { values[name] = undefined; },
    });
    // A shown error always wins over the last good value: an invalid amount is never saved.
    values[name] = null;
    return {
      el: m.el, focus: m.input, setError: m.setError,
      check: () => m.read().error ?? null,
      reset: () => { m.clear(); values[name] = null; },
    };
  }
  if (type === 'int') {
    const c = countInput({ label, testid, value: null, onChange: (n) => { values[name] = n; touched(); }, onInvalid: () => { values[name] = undefined; } });
    return {
      el: c.el, focus: c.input, setError: c.setError,
      check: () => (c.input.value.trim() && !/^\d{1,9}$/.test(c.input.value.replace(/\s/g, '')) ? 'Nombre entier attendu.' : null),
      reset: () => { c.clear(); values[name] = null; },
    };
  }
  if (type === 'bool') {
    const box = h('input', { type: 'checkbox', id: `${testid}-${Math.random().toString(36).slice(2, 8)}`, testid, onchange: () => { values[name] = box.checked; touched(); } });
    const wrapper = h('div', { class: 'field check wide' }, h('label', { for: box.id, testid: `${testid}-label` }, box, h('span', {}, label)));
    return { el: wrapper, focus: box, setError: fieldError(wrapper, box), reset: () => { box.checked = false; values[name] = false; } };
  }
  if (type === 'text') {
    const input = h('input', { type: 'text', testid, autocomplete: 'off', maxlength: MAX_LENGTH[name] ?? 200, oninput: () => { values[name] = input.value; touched(); } });
    if (name === 'code' && options.datalist) input.setAttribute('list', options.datalist.id);
    const wrapper = field(label, input, { cls: 'wide' });
    return { el: wrapper, focus: input, setError: fieldError(wrapper, input), reset: () => { input.value = ''; values[name] = ''; }, input };
  }
  let choices = [];
  let initial = '';
  if (type === 'method' || type === 'deposit_method') {
    const allowed = methodsFor(type, dc.methods);
    choices = allowed.map((m) => ({ value: m.id, label: m.label }));
    initial = (allowed.find((m) => m.id === cash?.id) ?? allowed[0])?.id ?? '';
    if (name === 'to_method_id') initial = allowed.find((m) => m.id !== initial)?.id ?? '';
  } else if (type === 'supplier') {
    choices = [{ value: '', label: 'Autre (libellé libre)' }, ...dc.suppliers.map((s) => ({ value: s.id, label: s.name }))];
  } else if (type === 'customer') {
    choices = [{ value: '', label: 'Choisir un client' }, ...options.customers(kind)];
  } else if (type === 'vat') {
    choices = VAT_RATES;
    initial = 2000;
  }
  const el = select(choices, initial, { testid });
  values[name] = initial;
  el.addEventListener('change', () => {
    values[name] = el.value;
    touched();
    options.onSelect(name, el.value);
  });
  const wide = type === 'supplier' || type === 'customer';
  const wrapper = field(label, el, { cls: wide ? 'wide' : '' });
  return { el: wrapper, focus: el, setError: fieldError(wrapper, el), reset: () => { el.value = String(initial); values[name] = initial; }, select: el };
}

/** Field errors of a thrown error that carries them (the JS twin's ValidationError), else null. */
export function fieldErrors(error) {
  const errors = error?.errors;
  return errors && typeof errors === 'object' && !Array.isArray(errors) && Object.keys(errors).length ? errors : null;
}

/**
 * @param extras {{customers?: (kind) => [{value,label}], datalist?: HTMLDataListElement, onAdded?: () => void}}
 */
export function flowForm(dc, kind, extras = {}) {
  const fields = kindFields(kind, dc.company);
  const values = {};
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: `${dash(kind)}-error` });
  const controls = {};
  const clearError = (name) => {
    controls[name]?.setError(null);
    formError.hidden = true;
    formError.textContent = '';
  };
  const onSelect = (name, value) => {
    // A supplier brings its usual VAT rate.
    if (kind === 'expense' && name === 'supplier_id' && value) {
      const supplier = dc.suppliers.find((s) => String(s.id) === String(value));
      if (supplier?.vat_bp !== undefined && controls.vat_bp?.select) {
        controls.vat_bp.select.value = String(supplier.vat_bp);
        values.vat_bp = supplier.vat_bp;
      }
    }
    extras.onSelect?.(kind, name, value, controls);
  };
  const options = { onEdit: clearError, onSelect, customers: extras.customers ?? (() => dc.customers.map((c) => ({ value: c.id, label: c.name }))), datalist: extras.datalist };
  for (const spec of fields) controls[spec[0]] = control(dc, kind, spec, values, options);
  const button = h('button', { type: 'submit', class: 'button primary', testid: `add-${dash(kind)}` }, 'Enregistrer');
  const form = h('form', { class: 'flow-form', novalidate: true, testid: `form-${dash(kind)}`, 'aria-label': KIND_LABELS[kind] },
    h('div', { class: 'form-grid' }, Object.values(controls).map((c) => c.el)),
    formError, button);

  function showErrors(errors) {
    const loose = [];
    let first = null;
    for (const [name, messages] of Object.entries(errors)) {
      const text = [messages].flat().join(' ');
      const target = controls[name];
      if (target) {
        target.setError(text);
        first ??= target.focus;
      } else loose.push(text);
    }
    formError.hidden = loose.length === 0;
    formError.textContent = loose.join(' ');
    first?.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const name of Object.keys(controls)) controls[name].setError(null);
    formError.hidden = true;
    // Field-level checks first: a field shown invalid stops the form.
    const invalid = {};
    for (const [name, c] of Object.entries(controls)) {
      const message = c.check?.();
      if (message) invalid[name] = [message];
    }
    if (Object.keys(invalid).length) return showErrors(invalid);
    const built = buildFlow(kind, fields, values);
    if (built.errors) return showErrors(built.errors);
    const flow = built.flow;
    if (kind === 'expense' && flow.supplier_id) {
      const account = dc.suppliers.find((s) => s.id === flow.supplier_id)?.expense_account;
      if (account) flow.account = account;
    }
    button.disabled = true;
    try {
      await dc.model.addFlow(flow);
      for (const c of Object.values(controls)) c.reset();
      toast(savedText(kind, money(fromWire(flow.amount))));
      extras.onAdded?.();
    } catch (error) {
      const errors = fieldErrors(error);
      if (errors) showErrors(errors);
      else showError(error, 'Le mouvement n’a pas pu être enregistré.');
    } finally {
      button.disabled = false;
    }
  });
  return { form, focus: () => Object.values(controls)[0]?.focus?.focus() };
}

// Keypad inputs: amounts typed « 1234,5 » or « 1 234.50 » (comma or dot), shown back as
// « 1 234,50 » with a « € » suffix; whole numbers for counts. Values leave as wire strings.
import { h, field, uid } from '../lib/dom.js';
import { parseAmount, fromWire, toWire, moneyPlain } from '../cash.js';

function describe(input, ...ids) {
  const list = ids.filter(Boolean).join(' ');
  if (list) input.setAttribute('aria-describedby', list);
  else input.removeAttribute('aria-describedby');
}

function errorSlot(input) {
  return h('p', { class: 'field-error', id: `${input.id}-error`, hidden: true });
}

function setError(input, slot, hintId, message) {
  slot.hidden = !message;
  slot.textContent = message ?? '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  describe(input, hintId, message ? slot.id : null);
}

/**
 * @param o {{label, testid, value: string|null (wire), onChange: (wire|null) => void,
 *            onInvalid?: (message) => void, hint?, allowNegative?, disabled?, cls?}}
 */
export function moneyInput(o) {
  const input = h('input', {
    id: uid('m'), type: 'text', inputmode: 'decimal', autocomplete: 'off', enterkeyhint: 'next',
    spellcheck: 'false', testid: o.testid, disabled: o.disabled, class: 'money',
  });
  const wrapper = field(o.label, input, { hint: o.hint, suffix: '€', cls: o.cls });
  const hintId = o.hint ? `${input.id}-hint` : null;
  const slot = errorSlot(input);
  wrapper.append(slot);
  const show = (wire) => {
    input.value = wire === null || wire === undefined || wire === '' ? '' : moneyPlain(fromWire(wire));
  };
  show(o.value);
  // The current text as a wire string, or {error} when it is not an amount (never a stale value).
  const read = () => {
    const parsed = parseAmount(input.value);
    if (parsed.error) return { error: parsed.error };
    if (!o.allowNegative && parsed.cents < 0) return { error: 'Le montant doit être positif.' };
    return { wire: parsed.empty ? null : toWire(parsed.cents) };
  };
  input.addEventListener('input', () => {
    const r = read();
    setError(input, slot, hintId, r.error ?? null);
    if (r.error) o.onInvalid?.(r.error);
    else o.onChange(r.wire);
  });
  input.addEventListener('blur', () => {
    const parsed = parseAmount(input.value);
    if (!parsed.error && !parsed.empty && (o.allowNegative || parsed.cents >= 0)) input.value = moneyPlain(parsed.cents);
  });
  return {
    el: wrapper,
    input,
    /** Show a value coming from elsewhere (sync), unless the cashier is typing in this field. */
    setValue(wire) {
      if (document.activeElement !== input && input.getAttribute('aria-invalid') !== 'true') show(wire);
    },
    read,
    setError: (message) => setError(input, slot, hintId, message),
    clear() {
      input.value = '';
      setError(input, slot, hintId, null);
    },
  };
}

/** Whole number ≥ 0 (nombre de ventes, nombre de chèques, billetage). */
export function countInput(o) {
  const input = h('input', {
    id: uid('n'), type: 'text', inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off',
    enterkeyhint: 'next', testid: o.testid, disabled: o.disabled, class: 'count',
  });
  const slot = errorSlot(input);
  // Bare (a grid cell): no label of its own, but its error message still shows under it.
  const wrapper = o.bare ? h('span', { class: 'bare-field' }, input, slot) : field(o.label, input, { hint: o.hint, cls: o.cls });
  if (o.bare && o.label) input.setAttribute('aria-label', o.label);
  if (!o.bare) wrapper.append(slot);
  const show = (n) => {
    input.value = n === null || n === undefined ? '' : String(n);
  };
  show(o.value);
  input.addEventListener('input', () => {
    const text = input.value.replace(/\s/g, '');
    if (text === '') {
      setError(input, slot, null, null);
      return o.onChange(null);
    }
    if (!/^\d{1,9}$/.test(text)) {
      setError(input, slot, null, 'Nombre entier attendu.');
      return o.onInvalid?.('Nombre entier attendu.');
    }
    setError(input, slot, null, null);
    o.onChange(Number(text));
  });
  return {
    el: wrapper,
    input,
    /** Show a value coming from elsewhere, unless the cashier is typing here or the text shows an error. */
    setValue(n) {
      if (document.activeElement !== input && input.getAttribute('aria-invalid') !== 'true') show(n);
    },
    setError: (message) => setError(input, slot, null, message),
    clear() {
      input.value = '';
      setError(input, slot, null, null);
    },
  };
}

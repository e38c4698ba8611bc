// Tiny DOM builder. Text always goes in as text nodes: no string ever becomes HTML.

let nextId = 0;
export function uid(prefix = 'f') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * h('button', {class: 'primary', testid: 'close-day', onclick}, 'Clôturer')
 * Attributes: class, testid (→ data-testid), on<event> (listener), value/checked/disabled
 * (properties), anything else via setAttribute. Children: nodes, strings, numbers, arrays; null skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'hidden') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replace all children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A labelled field: <div class="field"><label for>…</label>input hint error</div>. */
export function field(label, input, { hint, suffix, cls } = {}) {
  if (!input.id) input.id = uid();
  const hintEl = hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  const control = suffix ? h('div', { class: 'with-suffix' }, input, h('span', { 'aria-hidden': 'true' }, suffix)) : input;
  return h('div', { class: `field ${cls ?? ''}`.trim() }, h('label', { for: input.id }, label), control, hintEl);
}

/**
 * The error line of a field, appended to `wrapper`; returns `setError(message | null)`, which shows the
 * message and points the input at it (aria-invalid, aria-describedby), or clears both.
 */
export function fieldError(wrapper, input, { testid } = {}) {
  const slot = h('p', { class: 'field-error', id: `${input.id || 'x'}-error`, testid, hidden: true });
  wrapper.append(slot);
  return (message) => showFieldError(input, slot, message);
}

/** Show (or clear, for an empty message) a field's error in its slot, tied to the input for screen readers. */
export function showFieldError(input, slot, message) {
  slot.hidden = !message;
  slot.textContent = message ?? '';
  if (message) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', slot.id);
  } else {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

/** <select> from [{value, label}] with the current value selected. */
export function select(options, current, attrs = {}) {
  const el = h('select', attrs);
  for (const option of options) {
    const opt = h('option', { value: String(option.value) }, option.label);
    if (String(option.value) === String(current ?? '')) opt.selected = true;
    el.append(opt);
  }
  return el;
}

export function section(title, { testid, level = 2, cls } = {}, ...children) {
  const id = uid('h');
  return h('section', { class: `card ${cls ?? ''}`.trim(), 'aria-labelledby': id, testid },
    h(`h${level}`, { id }, title), ...children);
}

export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  wrapped.flush = (...args) => {
    if (timer === null) return;
    clearTimeout(timer);
    timer = null;
    fn(...args);
  };
  wrapped.pending = () => timer !== null;
  wrapped.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return wrapped;
}

// The one list-and-form pattern of the back office: a form built from a field spec (the server's
// `errors.{field}` shown on each field in French, what was typed kept on error, save disabled offline)
// and a list of rows beside it. Every settings screen is a spec handed to these two functions.
import { h, field, select, uid, showFieldError } from '../lib/dom.js';
import { moneyInput } from '../components/money-input.js';
import { ApiError } from '../api.js';
import { toast, showError } from '../components/toast.js';
import { WEEKDAYS_FR } from '../lib/dates.js';
import { isOfflineFailure, staleShown, UNAVAILABLE_TEXT } from './offline.js';
import './backoffice.css';

export const VAT_ERROR = 'Taux de TVA invalide : un pourcentage de 0 à 30, par exemple 5,5.';
export const OFFLINE_TEXT = 'Hors ligne : les réglages ne peuvent pas être modifiés sans connexion. Ce que vous avez saisi est conservé.';

/** « 5,5 » → 550 basis points; null when it is not a rate (the server then names the field). */
export function vatToBp(text) {
  const t = String(text ?? '').replace(/\s|%/g, '').replace(',', '.');
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(t)) return t === '' ? null : t;
  return Math.round(Number(t) * 100);
}

export function bpToVat(bp) {
  return bp === null || bp === undefined ? '' : String(bp / 100).replace('.', ',');
}

function errorSlot(id) {
  return h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
}

// One control per field type: {el, read(), setError(message)}.
function control(spec, value) {
  const testid = spec.testid ?? `field-${spec.name}`;
  if (spec.type === 'money') {
    const m = moneyInput({ label: spec.label, testid, value: value ?? null, hint: spec.hint, onChange: () => {} });
    return { el: m.el, read: () => { const r = m.read(); return r.error ? m.input.value : r.wire; }, setError: m.setError, input: m.input };
  }
  if (spec.type === 'checkbox') {
    const input = h('input', { type: 'checkbox', id: uid(), testid, checked: Boolean(value) });
    const slot = errorSlot(input.id);
    const hint = spec.hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, spec.hint) : null;
    if (hint) input.setAttribute('aria-describedby', hint.id);
    const el = h('div', { class: 'field check' }, h('label', { for: input.id }, input, spec.label), hint, slot);
    return { el, read: () => input.checked, setError: (msg) => showFieldError(input, slot, msg), input };
  }
  if (spec.type === 'days') {
    const boxes = WEEKDAYS_FR.map((day, i) => h('input', { type: 'checkbox', id: uid(), testid: `${testid}-${i}`, checked: Boolean(value?.[i]) }));
    const legend = h('legend', {}, spec.label);
    const slot = errorSlot(`${testid}-${uid()}`);
    slot.dataset.testid = `${testid}-error`;
    const el = h('fieldset', { class: 'field days' }, legend,
      h('div', { class: 'day-boxes' }, boxes.map((box, i) => h('label', { for: box.id }, box, WEEKDAYS_FR[i]))), slot);
    const setError = (msg) => {
      slot.hidden = !msg;
      slot.textContent = msg ?? '';
      for (const box of boxes) {
        if (msg) box.setAttribute('aria-describedby', slot.id);
        else box.removeAttribute('aria-describedby');
      }
    };
    return { el, read: () => boxes.map((b) => b.checked), setError, input: boxes[0] };
  }
  if (spec.type === 'names') return namesControl(spec, value, testid);
  if (spec.type === 'heading') return { el: h('h3', { class: 'form-heading' }, spec.label), read: () => undefined, setError: () => {} };
  let input;
  if (spec.type === 'select') input = select(spec.options, value ?? spec.options[0]?.value, { testid });
  else input = h('input', { type: 'text', testid, value: spec.type === 'vat' ? bpToVat(value) : (value ?? ''), autocomplete: 'off', inputmode: spec.type === 'vat' || spec.type === 'int' ? 'decimal' : undefined });
  const el = field(spec.label, input, { hint: spec.hint, suffix: spec.type === 'vat' ? '%' : undefined });
  const slot = errorSlot(input.id);
  el.append(slot);
  const read = () => {
    if (spec.type === 'vat') return vatToBp(input.value);
    if (spec.type === 'int') return /^\d{1,9}$/.test(input.value.trim()) ? Number(input.value.trim()) : input.value;
    return spec.type === 'select' && spec.numeric ? Number(input.value) : input.value;
  };
  // The server counts VAT in basis points; the person typed a percentage: say it in their unit.
  const say = (msg) => (msg && spec.type === 'vat' ? VAT_ERROR : msg);
  return { el, read, setError: (msg) => showFieldError(input, slot, say(msg)), input };
}

// A growing list of names ([{name}] on the wire), e.g. the registers of a new company.
function namesControl(spec, value, testid) {
  const list = h('ol', { class: 'names-list' });
  const slot = errorSlot(uid());
  slot.dataset.testid = `${testid}-error`;
  const add = (text = '') => {
    const i = list.children.length;
    const input = h('input', { type: 'text', id: uid(), testid: `${testid}-${i}`, value: text, autocomplete: 'off' });
    list.append(h('li', {}, h('label', { for: input.id, class: 'visually-hidden' }, `${spec.itemLabel} ${i + 1}`), input));
    return input;
  };
  for (const item of value?.length ? value : [{ name: '' }]) add(item.name);
  const more = h('button', { type: 'button', class: 'button small', testid: `${testid}-add`, onclick: () => add().focus() }, spec.addLabel);
  const el = h('fieldset', { class: 'field names' }, h('legend', {}, spec.label), list, more, slot);
  const inputs = () => [...list.querySelectorAll('input')];
  return {
    el,
    input: inputs()[0],
    read: () => inputs().map((i) => ({ name: i.value.trim() })).filter((x, i) => x.name || i === 0),
    setError: (msg) => { slot.hidden = !msg; slot.textContent = msg ?? ''; inputs().forEach((i) => (msg ? i.setAttribute('aria-invalid', 'true') : i.removeAttribute('aria-invalid'))); },
  };
}

/** Keep `button` disabled and `notice` shown while the browser is offline (until the form leaves the page). */
export function offlineGuard(form, button, notice) {
  const apply = () => {
    if (!form.isConnected && form.dataset.mounted) {
      window.removeEventListener('online', apply);
      window.removeEventListener('offline', apply);
      return;
    }
    const offline = !navigator.onLine;
    notice.hidden = !offline || staleShown(); // the screen already says it is offline

    button.disabled = offline;
  };
  window.addEventListener('online', apply);
  window.addEventListener('offline', apply);
  queueMicrotask(() => { form.dataset.mounted = '1'; });
  apply();
}

/**
 * A form from `fields` ([{name, label, type: text|money|vat|int|select|checkbox|days|names, options, hint, wide}]),
 * laid out as a grid, or by `layout(controls)` (the budget's table).
 * `save(values)` returns a promise; a refused save shows `errors.{field}` on the fields and keeps the text.
 * `validate(values)` (optional) → `{field: [message]}` for what the form refuses before asking the server.
 */
export function buildForm({ fields, values = {}, save, submitLabel = 'Enregistrer', testid = 'form', onCancel, onSaved, title, layout, validate }) {
  const controls = fields.map((spec) => [spec, control(spec, values[spec.name])]);
  const formError = h('p', { class: 'form-error', role: 'alert', testid: `${testid}-error`, hidden: true });
  const notice = h('p', { class: 'notice', testid: 'offline-notice', hidden: true }, OFFLINE_TEXT);
  const submit = h('button', { type: 'submit', class: 'button primary', testid: `${testid}-save` }, submitLabel);
  const cancel = onCancel ? h('button', { type: 'button', class: 'button', testid: `${testid}-cancel`, onclick: onCancel }, 'Annuler') : null;
  const form = h('form', { class: 'bo-form', testid, novalidate: true },
    title ? h('h3', {}, title) : null,
    notice,
    layout ? layout(controls) : h('div', { class: 'form-grid' }, controls.map(([spec, c]) => (spec.wide || ['days', 'names', 'heading'].includes(spec.type) ? h('div', { class: 'bo-wide' }, c.el) : c.el))),
    formError,
    h('div', { class: 'actions' }, submit, cancel));
  const setErrors = (errors = {}, message = '') => {
    const unknown = [];
    for (const [key, messages] of Object.entries(errors)) {
      const found = controls.find(([spec]) => spec.name && (spec.name === key || key.startsWith(`${spec.name}.`)));
      if (found) found[1].setError(messages.join(' '));
      else unknown.push(messages.join(' '));
    }
    formError.hidden = !message && !unknown.length;
    formError.textContent = [message, ...unknown].filter(Boolean).join(' ');
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!navigator.onLine) return;
    for (const [, c] of controls) c.setError(null);
    setErrors({});
    const data = Object.fromEntries(controls.filter(([spec]) => spec.name).map(([spec, c]) => [spec.name, c.read()]));
    const refused = validate?.(data);
    if (refused && Object.keys(refused).length) {
      setErrors(refused);
      controls.find(([spec]) => spec.name in refused)?.[1].input?.focus();
      return;
    }
    submit.disabled = true;
    try {
      const answer = await save(data);
      toast('Enregistré.');
      onSaved?.(answer, data);
    } catch (error) {
      if (error instanceof ApiError && error.status !== 0 && error.status < 500) {
        setErrors(error.errors, error.message);
        const first = controls.find(([spec]) => Object.keys(error.errors ?? {}).some((k) => k === spec.name || k.startsWith(`${spec.name}.`)));
        first?.[1].input?.focus();
      } else {
        setErrors({}, error?.message || 'Enregistrement impossible.');
        showError(error);
      }
    } finally {
      submit.disabled = !navigator.onLine;
    }
  });
  offlineGuard(form, submit, notice);
  return { el: form, setErrors, controls };
}

/**
 * A list of rows and the form to add or change one. spec: {title, testid, load(), columns: [{label, value(row)}],
 * fields, create(values), update(row, values), blank: {}, addLabel, rowName(row), extra?(row) → node}.
 */
export function listAndForm(spec) {
  const tbody = h('tbody', {});
  const formSlot = h('div', { class: 'bo-form-slot' });
  const addButton = h('button', { type: 'button', class: 'button', testid: `${spec.testid}-add`, onclick: () => edit(null) }, spec.addLabel ?? 'Ajouter');
  const el = h('div', { class: 'bo-list-form', testid: spec.testid },
    h('div', { class: 'bo-list' },
      h('table', { class: 'bo-table' },
        h('thead', {}, h('tr', {}, spec.columns.map((c) => h('th', { scope: 'col' }, c.label)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        tbody),
      h('div', { class: 'actions' }, addButton)),
    formSlot);
  let rows = [];
  async function reload() {
    let failed = null;
    try {
      rows = await spec.load();
    } catch (error) {
      // Never « Aucun élément » when the list could not be read: say why instead.
      failed = isOfflineFailure(error) ? `${UNAVAILABLE_TEXT} : aucune copie de cette liste sur cet appareil.` : 'La liste n’a pas pu être chargée.';
      if (!isOfflineFailure(error)) showError(error, failed);
      rows = [];
    }
    tbody.replaceChildren(...rows.map((row) => h('tr', { testid: `${spec.testid}-row-${row.id}` },
      spec.columns.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c.value(row)) : h('td', {}, c.value(row)))),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button small', testid: `${spec.testid}-edit-${row.id}`, onclick: () => edit(row), 'aria-label': `Modifier ${spec.rowName(row)}` }, 'Modifier'),
        spec.extra?.(row)))));
    if (failed) tbody.append(h('tr', {}, h('td', { colspan: spec.columns.length + 1, class: 'empty', testid: `${spec.testid}-failed` }, failed)));
    else if (!rows.length) tbody.append(h('tr', {}, h('td', { colspan: spec.columns.length + 1, class: 'empty' }, 'Aucun élément pour l’instant.')));
  }
  function edit(row) {
    const form = buildForm({
      fields: spec.fields,
      values: row ?? (typeof spec.blank === 'function' ? spec.blank(rows) : spec.blank) ?? {},
      title: row ? `Modifier « ${spec.rowName(row)} »` : (spec.addLabel ?? 'Ajouter'),
      testid: `${spec.testid}-form`,
      save: (values) => (row ? spec.update(row, values) : spec.create(values)),
      onCancel: () => formSlot.replaceChildren(),
      onSaved: async () => {
        formSlot.replaceChildren();
        await reload();
      },
    });
    formSlot.replaceChildren(form.el);
    form.controls[0]?.[1].input?.focus();
  }
  reload();
  return { el, reload, edit };
}

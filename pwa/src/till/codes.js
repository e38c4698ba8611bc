// The table of correspondence: each code of the cash-register software → one « Classification » or one
// payment method of the company. Several codes may name the same one (their amounts add up).
import { h, mount, select, section } from '../lib/dom.js';
import { api } from '../api.js';
import { errorText } from './errors.js';

const KINDS = [
  { kind: 'sales', ref: 'category_id', title: 'Classifications (ventes)', noun: 'classification' },
  { kind: 'payments', ref: 'method_id', title: 'Moyens de paiement', noun: 'moyen de paiement' },
];

export function codesSection(company, categories, methods) {
  const choices = { sales: categories.map((c) => ({ value: c.id, label: c.label })),
    payments: methods.map((m) => ({ value: m.id, label: m.label })) };
  const state = { sales: [], payments: [] };
  const boxes = { sales: h('div', {}), payments: h('div', {}) };
  const status = h('div', { role: 'status', 'aria-live': 'polite', testid: 'codes-status' });

  function row(spec, line, index) {
    const code = h('input', { type: 'text', maxlength: 40, value: line.code ?? '', testid: `code-${spec.kind}-${index}`,
      'aria-label': `Code de caisse, ligne ${index + 1}` });
    const target = select(choices[spec.kind], line[spec.ref] ?? choices[spec.kind][0]?.value,
      { testid: `code-${spec.kind}-${index}-ref`, 'aria-label': `${spec.noun}, ligne ${index + 1}` });
    code.addEventListener('input', () => { line.code = code.value.trim(); });
    target.addEventListener('change', () => { line[spec.ref] = Number(target.value); });
    line[spec.ref] = Number(target.value);
    const remove = h('button', { type: 'button', class: 'button small', onclick: () => {
      state[spec.kind].splice(index, 1);
      draw(spec);
    } }, 'Retirer');
    return h('tr', { 'data-row': `${spec.kind}.${index}` }, h('td', {}, code), h('td', {}, target), h('td', {}, remove));
  }

  function draw(spec) {
    const lines = state[spec.kind];
    mount(boxes[spec.kind], h('h3', {}, spec.title),
      lines.length ? h('table', { class: 'till-table', testid: `codes-${spec.kind}` },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Code de la caisse'),
          h('th', { scope: 'col' }, spec.noun[0].toUpperCase() + spec.noun.slice(1)), h('th', {}))),
        h('tbody', {}, lines.map((line, i) => row(spec, line, i))))
        : h('p', { class: 'hint' }, 'Aucun code.'),
      h('button', { type: 'button', class: 'button small', testid: `code-${spec.kind}-add`, onclick: () => {
        lines.push({ code: '' });
        draw(spec);
        boxes[spec.kind].querySelector(`[data-testid="code-${spec.kind}-${lines.length - 1}"]`)?.focus();
      } }, 'Ajouter un code'));
  }

  function show(table) {
    for (const spec of KINDS) {
      state[spec.kind] = (table[spec.kind] ?? []).map((line) => ({ ...line }));
      draw(spec);
    }
  }

  async function save() {
    for (const el of boxes.sales.parentElement.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    try {
      show(await api.put(`/api/companies/${company.id}/till/codes`, state));
      mount(status, h('p', {}, 'Correspondance enregistrée.'));
    } catch (error) {
      for (const name of Object.keys(error?.errors ?? {})) {
        const [kind, index] = name.split('.');
        boxes[kind]?.querySelector(`[data-row="${kind}.${index}"] input`)?.setAttribute('aria-invalid', 'true');
      }
      mount(status, h('p', { class: 'error' }, errorText(error)));
    }
  }

  api.get(`/api/companies/${company.id}/till/codes`).then(show,
    (error) => mount(status, h('p', { class: 'error' }, errorText(error))));
  return section('Correspondance des codes', { testid: 'till-codes' },
    h('p', { class: 'hint' }, 'Les codes que votre logiciel de caisse imprime sur le ticket Z (rayons, '
      + 'modes de règlement) et ce qu’ils deviennent dans Caisse.'),
    h('div', { class: 'till-codes' }, boxes.sales, boxes.payments),
    h('button', { type: 'button', class: 'button primary', testid: 'codes-save', onclick: save },
      'Enregistrer la correspondance'), status);
}

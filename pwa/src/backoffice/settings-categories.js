// Réglages › Catégories de vente: VAT rate, revenue account, active (the one list-and-form pattern), and
// the Z-ticket order, changed by drag and drop or with « Monter » / « Descendre », saved in one call.
import { h } from '../lib/dom.js';
import { api } from '../api.js';
import { listAndForm, bpToVat, offlineGuard, OFFLINE_TEXT } from './crud.js';
import { base } from './context.js';
import { readOrReplica, replicaList } from './offline.js';
import { toast, showError } from '../components/toast.js';

function orderEditor(company, onSaved) {
  let rows = [];
  const list = h('ol', { class: 'order-list', testid: 'z-order' });
  const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite', testid: 'z-order-live' });
  const save = h('button', { type: 'button', class: 'button primary', testid: 'z-order-save', disabled: true }, 'Enregistrer l’ordre du ticket Z');
  const notice = h('p', { class: 'notice', hidden: true }, OFFLINE_TEXT);
  const wrap = h('div', { class: 'z-order' },
    h('h3', {}, 'Ordre du ticket Z'),
    h('p', { class: 'hint' }, 'La saisie journalière suit cet ordre. Glissez une ligne, ou utilisez « Monter » et « Descendre ».'),
    notice, list, live, h('div', { class: 'actions' }, save));
  let dragged = null;
  let dirty = false;

  function move(from, to, focusWhich) {
    if (to < 0 || to >= rows.length || from === to) return;
    const [row] = rows.splice(from, 1);
    rows.splice(to, 0, row);
    dirty = true;
    draw();
    live.textContent = `${row.label} : position ${to + 1} sur ${rows.length}.`;
    if (focusWhich) {
      const target = list.querySelector(`[data-testid="z-${focusWhich}-${row.id}"]`);
      (target && !target.disabled ? target : list.querySelector(`[data-testid="z-${focusWhich === 'up' ? 'down' : 'up'}-${row.id}"]`))?.focus();
    }
  }
  function draw() {
    list.replaceChildren(...rows.map((row, i) => {
      const li = h('li', { draggable: 'true', testid: `z-item-${row.id}`, 'data-id': String(row.id) },
        h('span', { class: 'grip', 'aria-hidden': 'true' }, '⠿'),
        h('span', { class: 'label' }, `${i + 1}. ${row.label}`, row.active ? '' : ' (inactive)'),
        h('button', { type: 'button', class: 'button small', testid: `z-up-${row.id}`, disabled: i === 0, 'aria-label': `Monter ${row.label}`, onclick: () => move(i, i - 1, 'up') }, 'Monter'),
        h('button', { type: 'button', class: 'button small', testid: `z-down-${row.id}`, disabled: i === rows.length - 1, 'aria-label': `Descendre ${row.label}`, onclick: () => move(i, i + 1, 'down') }, 'Descendre'));
      li.addEventListener('dragstart', (e) => {
        dragged = i;
        li.classList.add('dragging');
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', String(row.id));
      });
      li.addEventListener('dragend', () => li.classList.remove('dragging'));
      li.addEventListener('dragover', (e) => e.preventDefault());
      li.addEventListener('drop', (e) => {
        e.preventDefault();
        if (dragged !== null) move(dragged, i);
        dragged = null;
      });
      return li;
    }));
    save.disabled = !dirty || !navigator.onLine;
  }
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      rows = await api.put(`${base(company)}/categories/order`, { ids: rows.map((r) => r.id) });
      dirty = false;
      toast('Ordre du ticket Z enregistré.');
      onSaved();
    } catch (error) {
      showError(error);
    }
    draw();
  });
  offlineGuard(wrap, save, notice);
  return {
    el: wrap,
    set(next) {
      rows = [...next].sort((a, b) => a.position - b.position);
      dirty = false;
      draw();
    },
  };
}

export function categoriesSection(body, company) {
  const url = `${base(company)}/categories`;
  let known = [];
  const order = orderEditor(company, () => crud.reload());
  const crud = listAndForm({
    testid: 'categories', addLabel: 'Ajouter une catégorie', rowName: (r) => r.label,
    load: async () => {
      known = await readOrReplica(() => api.get(url), () => replicaList(company.id, 'category'));
      order.set(known);
      return known;
    },
    create: (values) => api.post(url, { ...values, position: Math.max(0, ...known.map((r) => r.position)) + 1 }),
    update: (row, values) => api.patch(`${url}/${row.id}`, values),
    columns: [
      { label: 'Catégorie', value: (r) => r.label },
      { label: 'TVA', value: (r) => `${bpToVat(r.vat_bp)} %` },
      { label: 'Compte de vente', value: (r) => r.revenue_account },
      { label: 'Position Z', value: (r) => r.position },
      { label: 'État', value: (r) => (r.active ? 'Active' : 'Inactive') },
    ],
    fields: [
      { name: 'label', label: 'Libellé' },
      { name: 'vat_bp', label: 'Taux de TVA', type: 'vat' },
      { name: 'revenue_account', label: 'Compte de vente', hint: '701 produits finis, 707 marchandises, 706 services.' },
      { name: 'active', label: 'Active (proposée à la saisie)', type: 'checkbox' },
    ],
    blank: { vat_bp: 2000, revenue_account: '707', active: true },
  });
  body.append(crud.el, order.el);
}

// Réglages › Caisses, Moyens de paiement, Clients, Fournisseurs: each a spec for the one list-and-form pattern.
import { h } from '../lib/dom.js';
import { api } from '../api.js';
import { money, fromWire } from '../cash.js';
import { listAndForm, bpToVat } from './crud.js';
import { base } from './context.js';
import { registerCalendar } from './settings-calendar.js';
import { readOrReplica, replicaList } from './offline.js';

const activeText = (row) => (row.active ? 'Active' : 'Inactive');
const euros = (wire) => (wire === null || wire === undefined ? '—' : money(fromWire(wire)));
const ACTIVE = { name: 'active', label: 'Active (proposée à la saisie)', type: 'checkbox' };

/** `entity`: the replica's name of these rows, read offline. */
function crudOf(company, path, entity, spec) {
  const url = `${base(company)}/${path}`;
  return listAndForm({
    load: () => readOrReplica(() => api.get(url), () => replicaList(company.id, entity)),
    create: (values) => api.post(url, values),
    update: (row, values) => api.patch(`${url}/${row.id}`, values),
    ...spec,
  });
}

export const KIND_LABELS = {
  cash: 'Espèces', cheque: 'Chèque', card: 'Carte bancaire', meal_voucher: 'Ticket restaurant',
  gift_voucher: 'Bon cadeau', customer_credit: 'Crédit client', other: 'Autre',
};

export function registersSection(body, company) {
  const calendarSlot = h('div', {});
  const list = crudOf(company, 'registers', 'register', {
    testid: 'registers', addLabel: 'Ajouter une caisse', rowName: (r) => r.name,
    columns: [
      { label: 'Caisse', value: (r) => r.name },
      { label: 'Seuil mini', value: (r) => euros(r.min_threshold) },
      { label: 'Seuil maxi', value: (r) => euros(r.max_threshold) },
      { label: 'Calendrier', value: (r) => (r.weekly_pattern ? 'Le sien' : 'Celui de la société') },
      { label: 'État', value: activeText },
    ],
    fields: [
      { name: 'name', label: 'Nom' },
      { name: 'position', label: 'Ordre d’affichage', type: 'int' },
      { name: 'min_threshold', label: 'Seuil mini d’espèces', type: 'money', hint: 'En dessous : fond de caisse trop bas.' },
      { name: 'max_threshold', label: 'Seuil maxi d’espèces', type: 'money', hint: 'Au-dessus : remise en banque conseillée.' },
      ACTIVE,
    ],
    blank: { position: 1, active: true },
    extra: (r) => h('button', { type: 'button', class: 'button small', testid: `register-calendar-${r.id}`, 'aria-label': `Calendrier de ${r.name}`, onclick: () => registerCalendar(calendarSlot, company, r, () => list.reload()) }, 'Calendrier'),
  });
  body.append(list.el, calendarSlot);
}

export function methodsSection(body, company) {
  body.append(crudOf(company, 'payment-methods', 'payment_method', {
    testid: 'methods', addLabel: 'Ajouter un moyen de paiement', rowName: (r) => r.label,
    columns: [
      { label: 'Moyen de paiement', value: (r) => r.label },
      { label: 'Type', value: (r) => KIND_LABELS[r.kind] ?? r.kind },
      { label: 'Mode de dépôt', value: (r) => (r.deposit_mode === 'manual' ? 'Manuel (solde cumulé)' : 'Automatique (soldé chaque jour)') },
      { label: 'Compte', value: (r) => r.account || '—' },
      { label: 'Ordre', value: (r) => r.position },
      { label: 'État', value: activeText },
    ],
    fields: [
      { name: 'label', label: 'Libellé' },
      { name: 'kind', label: 'Type', type: 'select', options: Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label })) },
      { name: 'deposit_mode', label: 'Mode de dépôt', type: 'select', options: [{ value: 'manual', label: 'Manuel (solde cumulé jusqu’à la remise)' }, { value: 'automatic', label: 'Automatique (soldé chaque jour)' }] },
      { name: 'account', label: 'Compte comptable', hint: 'Par exemple 530, 5112, 5115.' },
      { name: 'position', label: 'Ordre', type: 'int' },
      ACTIVE,
    ],
    blank: { kind: 'cash', deposit_mode: 'manual', position: 1, active: true },
  }).el);
}

export function customersSection(body, company) {
  body.append(crudOf(company, 'customers', 'customer', {
    testid: 'customers', addLabel: 'Ajouter un client', rowName: (r) => r.name,
    columns: [
      { label: 'Client', value: (r) => r.name },
      { label: 'Compte auxiliaire', value: (r) => r.account || '—' },
      { label: 'État', value: (r) => (r.active ? 'Actif' : 'Inactif') },
    ],
    fields: [
      { name: 'name', label: 'Nom' },
      { name: 'account', label: 'Compte auxiliaire', hint: 'Par exemple 411MARTIN.' },
      { name: 'active', label: 'Actif', type: 'checkbox' },
    ],
    blank: { active: true },
  }).el);
}

export function suppliersSection(body, company) {
  body.append(crudOf(company, 'suppliers', 'supplier', {
    testid: 'suppliers', addLabel: 'Ajouter un fournisseur', rowName: (r) => r.name,
    columns: [
      { label: 'Fournisseur', value: (r) => r.name },
      { label: 'Compte de charge', value: (r) => r.expense_account },
      { label: 'TVA par défaut', value: (r) => `${bpToVat(r.vat_bp)} %` },
      { label: 'État', value: (r) => (r.active ? 'Actif' : 'Inactif') },
    ],
    fields: [
      { name: 'name', label: 'Nom' },
      { name: 'expense_account', label: 'Compte de charge', hint: 'Par exemple 601, 606, 626.' },
      { name: 'vat_bp', label: 'TVA par défaut', type: 'vat' },
      { name: 'active', label: 'Actif', type: 'checkbox' },
    ],
    blank: { expense_account: '607', vat_bp: 2000, active: true },
  }).el);
}

// Réglages › Société: identity, fiscal year, VAT regime, options of the day entry, cash tolerance.
import { h } from '../lib/dom.js';
import { api } from '../api.js';
import { buildForm } from './crud.js';
import { MONTHS_FR } from '../lib/dates.js';
import { base } from './context.js';
import { showError } from '../components/toast.js';
import { readOrReplica, replicaOne, isOfflineFailure, unavailable } from './offline.js';

const yesNo = (name, label) => ({ name, label, type: 'checkbox' });

export const COMPANY_FIELDS = [
  { name: 'name', label: 'Raison sociale' },
  { name: 'siren', label: 'SIREN', hint: '9 chiffres' },
  { name: 'address', label: 'Adresse', wide: true },
  { name: 'legal_form', label: 'Forme juridique', type: 'select', options: [{ value: 'sole_trader', label: 'Entreprise individuelle' }, { value: 'company', label: 'Société' }] },
  { name: 'fiscal_year_start_month', label: 'Début de l’exercice', type: 'select', numeric: true, options: MONTHS_FR.map((m, i) => ({ value: i + 1, label: m })) },
];

const FIELDS = [
  ...COMPANY_FIELDS,
  { type: 'heading', label: 'Fiscalité et caisse' },
  { name: 'vat_regime', label: 'Régime de TVA', type: 'select', options: [{ value: 'reel_normal', label: 'Réel normal' }, { value: 'reel_simplifie', label: 'Réel simplifié' }, { value: 'franchise', label: 'Franchise en base' }] },
  { name: 'cash_tolerance', label: 'Tolérance d’écart de caisse', type: 'money', hint: 'Un écart dans cette limite se clôture sans commentaire.' },
  { type: 'heading', label: 'Options de la saisie journalière' },
  yesNo('opt_customer_credit', 'Crédit client'),
  { name: 'credit_mode', label: 'Saisie du crédit client', type: 'select', options: [{ value: 'detailed', label: 'Détaillée (par client)' }, { value: 'lump', label: 'Globale (un montant par jour)' }] },
  yesNo('opt_gift_vouchers', 'Bons cadeaux'),
  yesNo('opt_cash_expenses', 'Dépenses espèces'),
  yesNo('opt_transfers', 'Transferts entre moyens de paiement'),
  yesNo('opt_overpayments', 'Trop-perçus'),
  { type: 'heading', label: 'Export comptable' },
  { name: 'lock_exported_periods', label: 'Verrouiller les périodes exportées', type: 'checkbox',
    hint: 'Une journée d’une période déjà exportée ne se rouvre alors que par le cabinet, avec un motif. Seul le cabinet peut retirer ce verrou.' },
];

export async function companyForm(body, company) {
  let row;
  try {
    row = await readOrReplica(() => api.get(base(company)), () => replicaOne(company.id, 'company'));
  } catch (error) {
    if (isOfflineFailure(error)) body.append(unavailable('aucune copie de la société sur cet appareil.'));
    else showError(error, 'La société n’a pas pu être chargée.');
    return;
  }
  const form = buildForm({
    fields: FIELDS,
    values: row,
    testid: 'company-form',
    save: (values) => api.patch(base(company), values),
  });
  body.append(h('p', { class: 'hint' }, 'Ces informations figurent sur les exports comptables.'), form.el);
}

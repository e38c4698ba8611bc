// The movement forms of the day entry, as data: which sections the company's options show,
// which fields each flow kind asks for. Pure (no DOM), so it is tested with node --test.

export const GROUPS = [
  { id: 'cash', title: 'Apports et sorties', kinds: ['cash_in', 'cash_out', 'refund'] },
  { id: 'expenses', title: 'Dépenses espèces', kinds: ['expense'], option: 'opt_cash_expenses' },
  { id: 'deposits', title: 'Remises de chèques et espèces en banque', kinds: ['deposit'] },
  { id: 'transfers', title: 'Transferts entre moyens de paiement', kinds: ['transfer'], option: 'opt_transfers' },
  { id: 'credit', title: 'Crédit-client', kinds: ['credit_granted', 'credit_settled'], option: 'opt_customer_credit' },
  { id: 'vouchers', title: 'Bons cadeaux', kinds: ['voucher_sold', 'voucher_redeemed'], option: 'opt_gift_vouchers' },
  { id: 'overpayments', title: 'Trop-perçus', kinds: ['overpayment'], option: 'opt_overpayments' },
];

export const KIND_LABELS = {
  cash_in: 'Apport', cash_out: 'Sortie', refund: 'Remboursement client', expense: 'Dépense espèces',
  deposit: 'Remise en banque', transfer: 'Transfert', credit_granted: 'Crédit accordé (mise en compte)',
  credit_settled: 'Règlement de crédit-client', voucher_sold: 'Bon cadeau vendu', voucher_redeemed: 'Bon cadeau utilisé',
  voucher_expired: 'Bon cadeau expiré', overpayment: 'Trop-perçu', void: 'Annulation',
};

// Field: [name, type, label, required]. Types: money, method, to_method, text, int, bool, supplier, customer, vat.
const F = {
  amount: ['amount', 'money', 'Montant', true],
  ttc: ['amount', 'money', 'Montant TTC', true],
  signed: ['amount', 'money', 'Montant (négatif si moins perçu)', true],
  method: ['method_id', 'method', 'Moyen de paiement', true],
  reason: ['reason', 'text', 'Motif', false],
};

export function kindFields(kind, company) {
  const detailed = company?.credit_mode !== 'lump';
  switch (kind) {
    case 'cash_in': return [F.amount, F.method, F.reason, ['owner', 'bool', 'Apport personnel de l’exploitant', false]];
    case 'cash_out': return [F.amount, F.method, F.reason];
    case 'refund': return [F.amount, F.method, ['customer_id', 'customer', 'Client', false], F.reason];
    case 'expense': return [['supplier_id', 'supplier', 'Fournisseur', false], ['label', 'text', 'Libellé (sans fournisseur)', false],
      F.ttc, ['vat_bp', 'vat', 'Taux de TVA', true], ['method_id', 'method', 'Payée en', true]];
    case 'deposit': return [['method_id', 'deposit_method', 'Remise de', true], F.amount,
      ['slip_number', 'text', 'N° de bordereau', false], ['cheque_count', 'int', 'Nombre de chèques', false]];
    case 'transfer': return [['method_id', 'method', 'Depuis', true], ['to_method_id', 'method', 'Vers', true], F.amount, F.reason];
    case 'credit_granted': return [detailed ? ['customer_id', 'customer', 'Client', true] : null, F.amount].filter(Boolean);
    case 'credit_settled': return [detailed ? ['customer_id', 'customer', 'Client', true] : null, F.amount, F.method].filter(Boolean);
    case 'voucher_sold': return [['code', 'text', 'Code du bon', true], F.amount, F.method];
    case 'voucher_redeemed': return [['code', 'text', 'Code du bon', true], F.amount];
    case 'overpayment': return [F.signed, F.method, F.reason];
    default: return [];
  }
}

/** Groups shown for this company (options it enabled); in lump credit mode only settlements are typed. */
export function visibleGroups(company) {
  return GROUPS.filter((g) => !g.option || company?.[g.option]).map((g) => ({
    ...g,
    kinds: g.id === 'credit' && company?.credit_mode === 'lump' ? ['credit_settled'] : g.kinds,
  }));
}

const DRAWERLESS = new Set(['gift_voucher', 'customer_credit']);

/** Methods a flow may move: never gift vouchers or customer credit; deposits only manual ones. */
export function methodsFor(type, methods) {
  if (type === 'deposit_method') return methods.filter((m) => m.deposit_mode === 'manual' && (m.kind === 'cash' || m.kind === 'cheque'));
  return methods.filter((m) => !DRAWERLESS.has(m.kind));
}

/**
 * Form values (strings from the inputs, amount already a wire string) → the flow to add,
 * or {errors: {field: [message]}}. Ids become integers; empty optional fields are left out.
 */
export function buildFlow(kind, fields, values) {
  const flow = { kind };
  const errors = {};
  for (const [name, type, label, required] of fields) {
    const raw = values[name];
    const empty = raw === undefined || raw === null || raw === '' || raw === false;
    if (empty) {
      if (required) errors[name] = [`${label} : champ obligatoire.`];
      continue;
    }
    if (['method', 'deposit_method', 'supplier', 'customer', 'vat', 'int'].includes(type)) flow[name] = Number(raw);
    else if (type === 'bool') flow[name] = true;
    else if (type === 'text') flow[name] = String(raw).trim();
    else flow[name] = raw;
  }
  if (kind === 'expense' && !flow.supplier_id && !flow.label) errors.label = ['Choisissez un fournisseur ou saisissez un libellé.'];
  if (kind === 'transfer' && flow.method_id && flow.method_id === flow.to_method_id) {
    errors.to_method_id = ['Le transfert doit aller vers un autre moyen de paiement.'];
  }
  if (typeof flow.amount === 'string' && /^-?0+(\.0+)?$/.test(flow.amount)) errors.amount = ['Le montant ne peut pas être nul.'];
  if (kind !== 'overpayment' && typeof flow.amount === 'string' && flow.amount.startsWith('-')) errors.amount = ['Le montant doit être positif.'];
  return Object.keys(errors).length ? { errors } : { flow };
}

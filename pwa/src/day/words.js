// French words computed, never « (s) » nor « (e) »: plurals and the gender of each movement. Pure.

const FEMININE = new Set(['cash_out', 'expense', 'deposit', 'void']);
const LABELS = {
  cash_in: 'Apport', cash_out: 'Sortie', refund: 'Remboursement', expense: 'Dépense', deposit: 'Remise en banque',
  transfer: 'Transfert', credit_granted: 'Crédit accordé', credit_settled: 'Règlement de crédit-client',
  voucher_sold: 'Bon cadeau vendu', voucher_redeemed: 'Bon cadeau utilisé', voucher_expired: 'Bon cadeau expiré',
  overpayment: 'Trop-perçu', void: 'Annulation',
};

/** plural(1, 'chèque') → « 1 chèque », plural(3, 'chèque') → « 3 chèques ». */
export function plural(n, singular, pluralForm = `${singular}s`) {
  return `${n} ${Math.abs(n) >= 2 ? pluralForm : singular}`;
}

/** « Sortie de 20,00 € enregistrée. », « Apport de 12,30 € enregistré. » */
export function savedText(kind, amountText) {
  return `${LABELS[kind] ?? 'Mouvement'} de ${amountText} ${FEMININE.has(kind) ? 'enregistrée' : 'enregistré'}.`;
}

// Billetage: notes and coins counted in the drawer, 500 € … 0,01 €. Pure.

export const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];
export const NOTES_FROM = 500; // 5 € and above are notes

/** « 500 € », « 2 € », « 0,50 € », « 0,01 € » */
export function denominationLabel(cents) {
  if (cents % 100 === 0) return `${cents / 100} €`;
  return `0,${String(cents).padStart(2, '0')} €`;
}

/** Σ quantity × denomination, in cents; unknown keys and bad quantities are ignored. */
export function gridTotal(grid) {
  let total = 0;
  for (const [denomination, quantity] of Object.entries(grid ?? {})) {
    const d = Number(denomination);
    if (DENOMINATIONS.includes(d) && Number.isInteger(quantity) && quantity > 0) total += d * quantity;
  }
  return total;
}

/** The grid without empty lines, keys as strings of cents (the wire shape). */
export function cleanGrid(grid) {
  const out = {};
  for (const d of DENOMINATIONS) {
    const q = grid?.[String(d)];
    if (Number.isInteger(q) && q > 0) out[String(d)] = q;
  }
  return out;
}

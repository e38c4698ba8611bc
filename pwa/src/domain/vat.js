// VAT: TTC → HT + VAT per line, integer arithmetic, ties away from zero. Twin of domain/vat.py.
// The one division goes through BigInt so that ttc * 10000 never leaves exact integers.

export const BP_SCALE = 10_000; // 550 = 5,5 %

function divBig(n, d) {
  const abs = n < 0n ? -n : n;
  let q = abs / d;
  if (2n * (abs % d) >= d) q += 1n;
  const out = Number(n < 0n ? -q : q);
  return out === 0 ? 0 : out; // never -0
}

/** Integer quotient rounded to nearest, ties away from zero (denominator > 0). */
export function divRoundHalfAway(numerator, denominator) {
  if (!(denominator > 0)) throw new RangeError('denominator must be positive');
  return divBig(BigInt(numerator), BigInt(denominator));
}

/** Amount TTC in cents → [HT, VAT] in cents at vatBp basis points. */
export function splitTtc(ttc, vatBp) {
  if (!Number.isInteger(vatBp) || vatBp < 0 || vatBp > BP_SCALE) {
    throw new RangeError(`VAT rate out of range: ${vatBp} bp`);
  }
  const ht = divBig(BigInt(ttc) * BigInt(BP_SCALE), BigInt(BP_SCALE + vatBp));
  const vat = ttc - ht;
  return [ht, vat === 0 ? 0 : vat]; // never -0
}

/** [vat_bp, ttc] lines → one {vat_bp, ttc, ht, vat} per rate, split per line, ascending rate. */
export function vatLines(lines) {
  const totals = new Map();
  for (const [vatBp, ttc] of lines) {
    const [ht, vat] = splitTtc(ttc, vatBp);
    const t = totals.get(vatBp) ?? { vat_bp: vatBp, ttc: 0, ht: 0, vat: 0 };
    totals.set(vatBp, { vat_bp: vatBp, ttc: t.ttc + ttc, ht: t.ht + ht, vat: t.vat + vat });
  }
  return [...totals.keys()].sort((a, b) => a - b).map((bp) => totals.get(bp));
}

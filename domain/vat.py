"""VAT: split an amount TTC into HT + VAT with integer arithmetic only.

Invariants
  1. ``ht = round_half_away_from_zero(ttc * 10000 / (10000 + vat_bp))`` and
     ``vat = ttc - ht``; so ``ht + vat == ttc`` holds by construction, to the cent.
  2. The split is odd: ``split_ttc(-x, r) == -split_ttc(x, r)`` (a refund mirrors a sale),
     which is what "half away from zero" buys over Python's banker's ``round``.
  3. The split is made *per line* (per sales category of the Z), then summed per rate.
     Splitting the per-rate sum instead may differ by a cent; the contract is per line.

Exact ties cannot happen at 5,5 % (10550 = 2·5²·211: an odd multiple of 211 never
equals a multiple of 400), nor at 10 % or 2,1 %; at 20 % they do: 0,03 € TTC is exactly
2,5 cents HT and rounds to 3, where banker's rounding would give 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BP_SCALE = 10_000  # 1 basis point = 0,01 %; 550 = 5,5 %


def div_round_half_away(numerator: int, denominator: int) -> int:
    """Integer quotient rounded to nearest, ties away from zero (denominator > 0)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def split_ttc(ttc: int, vat_bp: int) -> tuple[int, int]:
    """Amount TTC in cents → (HT, VAT) in cents at ``vat_bp`` basis points."""
    if not 0 <= vat_bp <= BP_SCALE:
        raise ValueError(f"VAT rate out of range: {vat_bp} bp")
    ht = div_round_half_away(ttc * BP_SCALE, BP_SCALE + vat_bp)
    return ht, ttc - ht


@dataclass(frozen=True)
class VatLine:
    """One rate's totals: ``ttc == ht + vat``."""

    vat_bp: int
    ttc: int
    ht: int
    vat: int

    def as_dict(self) -> dict[str, int]:
        return {"vat_bp": self.vat_bp, "ttc": self.ttc, "ht": self.ht, "vat": self.vat}


def vat_lines(lines: Iterable[tuple[int, int]]) -> list[VatLine]:
    """``(vat_bp, ttc)`` lines → one VatLine per rate, split per line, by ascending rate."""
    totals: dict[int, tuple[int, int, int]] = {}
    for vat_bp, ttc in lines:
        ht, vat = split_ttc(ttc, vat_bp)
        t_ttc, t_ht, t_vat = totals.get(vat_bp, (0, 0, 0))
        totals[vat_bp] = (t_ttc + ttc, t_ht + ht, t_vat + vat)
    return [VatLine(bp, *totals[bp]) for bp in sorted(totals)]

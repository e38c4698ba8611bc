"""The journal of closed days: canonical JSON, the hash chain, period totals.

Invariants (DOMAIN.md §4, ARCHITECTURE.md "Closing")
  1. ``canonical_json`` depends on the content only: keys sorted, no whitespace, UTF-8
     (non-ASCII kept as is), integers only (a float is refused: money is cents), and the
     day's lists in their stable order: sales by category position then id (a line may
     carry its ``position``, else ``category_positions`` gives it), payments / opening /
     counts by method id, flows by id. Key order and list order of the input never matter.
  2. ``hash(n) = sha256_hex(hash(n-1) + canonical_json(day n))`` with ``hash(0) = GENESIS``.
     Changing one cent of day k changes hash(k), so verification stops at day k.
  3. Sequences are gapless per register, from 1: a missing or repeated number is a break
     even when every hash is right (a deleted day in the middle).
  4. A period closing carries its own total, the fiscal-year cumulative and the perpetual
     grand total, plus the last sequence and hash it covers, so a later audit can start
     from it instead of from genesis.

JSON key order follows Python's code-point sort; JS sorts UTF-16 units, which differ only
for keys outside the BMP. Keys here are ASCII field names, so the two would agree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .inputs import id_key

GENESIS = "0" * 64
_BY_METHOD = ("payments", "opening", "counts")


def _check(value: Any) -> None:
    """Refuse what has no single canonical spelling: floats, non-string keys, odd types."""
    if isinstance(value, float):
        raise ValueError("canonical JSON holds no float: money is integer cents")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"canonical JSON keys are strings, not {key!r}")
            _check(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check(item)
    elif value is not None and not isinstance(value, str | int | bool):
        raise ValueError(f"canonical JSON cannot hold {type(value).__name__}")


def _ordered(day: Mapping[str, Any], positions: Mapping[Any, int]) -> dict[str, Any]:
    out = dict(day)
    if isinstance(day.get("sales"), list | tuple):
        out["sales"] = sorted(day["sales"], key=lambda line: (
            line.get("position", positions.get(line.get("category_id"), 0)), id_key(line.get("category_id"))))
    for key in _BY_METHOD:
        if isinstance(day.get(key), list | tuple):
            out[key] = sorted(day[key], key=lambda line: id_key(line.get("method_id")))
    if isinstance(day.get("flows"), list | tuple):
        out["flows"] = sorted(day["flows"], key=lambda flow: str(flow.get("id")))
    return out


def canonical_json(day_record: Mapping[str, Any], *,
                   category_positions: Mapping[Any, int] | None = None) -> str:
    """The one spelling of a day record that is hashed."""
    record = _ordered(day_record, category_positions or {})
    _check(record)
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def chain_hash(prev_hash: str, day_record: Mapping[str, Any]) -> str:
    """sha256 hex of ``prev_hash + canonical_json(day_record)`` (UTF-8)."""
    return hashlib.sha256((prev_hash + canonical_json(day_record)).encode("utf-8")).hexdigest()


def seal(days: Iterable[Mapping[str, Any]], *, prev_hash: str = GENESIS, first_sequence: int = 1,
         ) -> list[dict[str, Any]]:
    """Chain day records: ``[{"sequence", "day", "hash"}, …]`` (what closing stores)."""
    records = []
    for offset, day in enumerate(days):
        prev_hash = chain_hash(prev_hash, day)
        records.append({"sequence": first_sequence + offset, "day": day, "hash": prev_hash})
    return records


@dataclass(frozen=True)
class ChainBreak:
    index: int  # position in the list given to verify_chain
    sequence: int | None  # the sequence number found there
    reason: str  # 'sequence' (gap, repeat, disorder) | 'hash'


def verify_chain(records: Sequence[Mapping[str, Any]], *, prev_hash: str = GENESIS,
                 first_sequence: int = 1) -> ChainBreak | None:
    """The first broken link of ``[{"sequence", "day", "hash"}, …]``, or None when all hold."""
    for index, record in enumerate(records):
        sequence = record.get("sequence")
        if isinstance(sequence, bool) or sequence != first_sequence + index:
            return ChainBreak(index, sequence if isinstance(sequence, int) else None, "sequence")
        try:
            expected = chain_hash(prev_hash, record["day"])
        except (KeyError, TypeError, ValueError):
            return ChainBreak(index, sequence, "hash")
        if record.get("hash") != expected:
            return ChainBreak(index, sequence, "hash")
        prev_hash = expected
    return None


@dataclass(frozen=True)
class ClosedDay:
    date: str  # ISO YYYY-MM-DD
    sequence: int
    hash: str
    sales_ttc: int  # cents


@dataclass(frozen=True)
class PeriodTotals:
    start: str
    end: str
    day_count: int
    period_ttc: int
    fiscal_year_ttc: int  # from the fiscal year's first day to ``end``
    grand_total: int  # perpetual, since the first closed day (plus what came before)
    last_sequence: int | None
    last_hash: str | None


def fiscal_year_start(date: str, start_month: int) -> str:
    """First day of the fiscal year containing ``date`` (e.g. 2025-03-14, July → 2024-07-01)."""
    year, month = int(date[:4]), int(date[5:7])
    return f"{year if month >= start_month else year - 1:04d}-{start_month:02d}-01"


def period_totals(days: Iterable[ClosedDay], start: str, end: str, *, fiscal_year_start_month: int = 1,
                  grand_total_before: int = 0) -> PeriodTotals:
    """Totals of a monthly or annual closing over the days dated ``start``..``end`` (inclusive).
    ``days`` is the register's journal up to at least ``end``; later days are ignored."""
    upto = sorted((d for d in days if d.date <= end), key=lambda d: d.sequence)
    fy_start = fiscal_year_start(end, fiscal_year_start_month)
    period = [d for d in upto if d.date >= start]
    last = upto[-1] if upto else None
    return PeriodTotals(
        start, end, len(period), sum(d.sales_ttc for d in period),
        sum(d.sales_ttc for d in upto if d.date >= fy_start),
        grand_total_before + sum(d.sales_ttc for d in upto),
        last.sequence if last else None, last.hash if last else None,
    )

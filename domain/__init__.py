"""Caisse's cash-day rules, pure: no Flask, no SQLAlchemy, no I/O, standard library only.

The server, ``sync/`` and the tests import this package; ``pwa/src/domain/`` is its
JavaScript twin, held to the same results by ``schema/vectors/``. Amounts are integer
cents, VAT rates integer basis points, ids server ints or client strings.

    money     parse_wire, parse_fr, to_wire, format_fr
    vat       split_ttc, vat_lines
    inputs    DayInput and its parts; parse_day_input (JSON shape → values)
    day       compute_day → DayResult (totals, VAT, balance per method, outstanding)
    controls  evaluate → [Finding], can_close
    validation validate_header, validate_flow (wire values), validate_date, rejection_code:
              {field_path: [message_fr]}, the one verdict of REST, sync and the PWA
    flow_rules flow_rules (one movement against the company, cents), check_flow_allowed
    journal   canonical_json, chain_hash, verify_chain, period_totals
    entries   day_entries → [Entry] in the cash journal, DEFAULT_CHART
    sealed    sealed_payload (the version-2 record of a closed day), day_input_to_dict
"""

from .controls import Finding, can_close, evaluate
from .day import DayResult, MethodBalance, Outstanding, Totals, active_flows, compute_day
from .entries import DEFAULT_CHART, Entry, EntryLine, day_entries
from .errors import DomainError, InputError, MoneyError, UnbalancedEntryError
from .inputs import (
    Category,
    Day,
    DayInput,
    Flow,
    Line,
    Method,
    Options,
    Party,
    PreviousDay,
    Settings,
    parse_day_input,
)
from .journal import (
    GENESIS,
    ChainBreak,
    ClosedDay,
    PeriodTotals,
    canonical_json,
    chain_hash,
    period_totals,
    seal,
    verify_chain,
)
from .money import format_fr, parse_fr, parse_wire, to_wire
from .sealed import day_input_to_dict, sealed_payload
from .validation import (
    Context,
    check_flow_allowed,
    flow_rules,
    rejection_code,
    validate_date,
    validate_flow,
    validate_header,
)
from .vat import VatLine, div_round_half_away, split_ttc, vat_lines

__all__ = [
    "DEFAULT_CHART", "GENESIS", "Category", "ChainBreak", "ClosedDay", "Context", "Day", "DayInput", "DayResult",
    "DomainError", "Entry", "EntryLine", "Finding", "Flow", "InputError", "Line", "Method", "MethodBalance",
    "MoneyError", "Options", "Outstanding", "Party", "PeriodTotals", "PreviousDay", "Settings", "Totals",
    "UnbalancedEntryError", "VatLine", "active_flows", "can_close", "canonical_json", "chain_hash",
    "check_flow_allowed", "compute_day", "day_entries", "div_round_half_away", "evaluate", "flow_rules",
    "day_input_to_dict", "format_fr", "parse_day_input", "parse_fr", "parse_wire", "period_totals", "rejection_code",
    "seal", "sealed_payload", "split_ttc",
    "to_wire", "validate_date", "validate_flow", "validate_header", "vat_lines", "verify_chain",
]

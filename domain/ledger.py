"""The cash journal of a period, from the sealed payloads of closed days only (DOMAIN.md §4–§6).

A sealed payload (version 2) carries everything its entries need, frozen at closing:
``input`` (the day and its settings, in the shape ``parse_day_input`` reads), ``chart``
(the company's chart as it stood) and ``meta`` (company, register, date, z_number,
sequence, closed_at, closed_by). So a later change of the chart or of a category never
changes an export of a closed period: the same payloads give the same bytes.

``ledger(payloads)`` orders the days chronologically by validation (closing date, then
day date, register, sequence) and numbers the entries 1, 2, 3… with no gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .entries import DEFAULT_CHART, Entry, day_entries
from .errors import InputError
from .inputs import parse_day_input

PAYLOAD_VERSION = 2

# PCG names by account prefix; the longest prefix wins, so a label depends on the number only.
ACCOUNT_NAMES: Mapping[str, str] = {
    "1": "Capitaux", "108": "Compte de l'exploitant", "4": "Tiers", "411": "Clients",
    "4191": "Clients - bons cadeaux", "4197": "Clients - trop-perçus", "44566": "TVA déductible sur ABS",
    "44571": "TVA collectée", "455": "Associés - comptes courants", "5": "Financier", "511": "Valeurs à l'encaissement",
    "5112": "Chèques à encaisser", "5115": "Cartes bancaires à encaisser", "5116": "Titres-restaurant à encaisser",
    "512": "Banque", "53": "Caisse", "580": "Virements internes", "6": "Charges", "60": "Achats",
    "601": "Achats de matières premières", "606": "Achats non stockés", "607": "Achats de marchandises",
    "61": "Services extérieurs", "62": "Autres services extérieurs", "658": "Charges diverses de gestion courante",
    "7": "Produits", "701": "Ventes de produits finis", "706": "Prestations de services",
    "707": "Ventes de marchandises", "758": "Produits divers de gestion courante",
}


def account_name(account: str) -> str:
    for size in range(len(account), 0, -1):
        name = ACCOUNT_NAMES.get(account[:size])
        if name is not None:
            return name
    return f"Compte {account}"


@dataclass(frozen=True)
class Line:
    """One FEC line (amounts in cents, dates ``YYYY-MM-DD``)."""

    account: str
    account_label: str
    aux_account: str
    aux_label: str
    label: str
    debit: int
    credit: int


@dataclass(frozen=True)
class Posting:
    """One numbered entry of the journal."""

    number: int
    journal_code: str
    journal_label: str
    date: str
    piece_ref: str
    piece_date: str
    label: str
    valid_date: str
    lines: tuple[Line, ...]


def _meta(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping) or payload.get("version") != PAYLOAD_VERSION:
        raise InputError("Journée scellée illisible : version 2 attendue.", field="version")
    meta = payload.get("meta")
    if not isinstance(meta, Mapping) or not isinstance(meta.get("date"), str):
        raise InputError("Journée scellée illisible : « meta » incomplet.", field="meta")
    return meta


def _chart(payload: Mapping[str, Any]) -> dict[str, str]:
    chart = payload.get("chart") or {}
    if not isinstance(chart, Mapping):
        raise InputError("Journée scellée illisible : « chart » doit être un objet.", field="chart")
    return {**DEFAULT_CHART, **{k: v for k, v in chart.items() if isinstance(v, str)}}


def entries_from_payload(payload: Mapping[str, Any]) -> list[Entry]:
    """The balanced entries of one sealed day, with its frozen settings and chart."""
    meta = _meta(payload)
    chart = _chart(payload)
    raw = payload.get("input")
    if not isinstance(raw, Mapping):
        raise InputError("Journée scellée illisible : « input » manquant.", field="input")
    day_input = parse_day_input({**raw, "day": {**(raw.get("day") or {}), "date": meta["date"]}})
    return day_entries(day_input, chart, journal=chart.get("journal_code", "CA"))


def _sort_key(payload: Mapping[str, Any]) -> tuple[str, str, str, int]:
    meta = _meta(payload)
    register = meta.get("register") or {}
    return (max(str(meta.get("closed_at") or "")[:10], meta["date"]), str(meta["date"]), f"{register.get('id', 0):>12}",
            int(meta.get("sequence") or 0))


def _aux_names(payload: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Customer id → (auxiliary account, name): the customer's own account, else ``C<id>``."""
    settings = (payload.get("input") or {}).get("settings") or {}
    out = {}
    for customer in settings.get("customers") or []:
        cid = str(customer.get("id"))
        out[cid] = (customer.get("account") or f"C{cid}", str(customer.get("label") or ""))
    return out


def postings_of(payload: Mapping[str, Any], first_number: int) -> list[Posting]:
    """One sealed day's entries as numbered postings, from ``first_number`` on."""
    meta, chart = _meta(payload), _chart(payload)
    register = meta.get("register") or {}
    z_number = str(meta.get("z_number") or "")
    piece = f"Z{z_number}" if z_number else f"J{meta.get('sequence') or 0}"
    piece_ref = f"{register.get('id', 0)}-{piece}"
    # closed_at is UTC: a day closed just after midnight, shop time, may read the day before; a validation
    # never precedes the entry it validates.
    valid_date = max(str(meta.get("closed_at") or meta["date"])[:10], meta["date"])
    collective = chart["customer_credit"]
    aux = _aux_names(payload)
    out = []
    for offset, entry in enumerate(entries_from_payload(payload)):
        lines = []
        for x in entry.lines:
            aux_account, aux_label, account = "", "", x.account
            if x.aux is not None:  # detailed customer credit: collective account + auxiliary
                aux_account, aux_label = aux.get(x.aux, (f"C{x.aux}", ""))
                account = collective if x.account == aux_account else x.account
            text = f"{entry.label} - {x.label}" if x.label else entry.label
            lines.append(Line(account, account_name(account), aux_account, aux_label, text,
                              x.debit, x.credit))
        out.append(Posting(first_number + offset, entry.journal, chart.get("journal_label", "Caisse"),
                           meta["date"], piece_ref, meta["date"], entry.label, valid_date, tuple(lines)))
    return out


def ledger(payloads: Iterable[Mapping[str, Any]]) -> list[Posting]:
    """The journal of the given sealed days: chronological by validation, numbered without gaps from 1."""
    out: list[Posting] = []
    for payload in sorted(payloads, key=_sort_key):
        out += postings_of(payload, len(out) + 1)
    return out

"""The FEC file (LPF art. A47 A-1, DOMAIN.md §6) and the plain CSV of the same entries.

FEC: 18 columns in the legal order, a header line, TAB (or ``|``) between fields, ISO-8859-15
(or UTF-8), dates ``AAAAMMJJ``, amounts with a decimal comma and no thousands separator,
``EcritureNum`` continuous, lines in the journal's order, CRLF line ends. A character the
encoding cannot hold becomes ``?``; a separator, quote or line break inside a text becomes a
space, so a field never splits. The file name is ``<SIREN>FEC<AAAAMMJJ>.txt``, the date being
the closing date of the fiscal year.

CSV: the same 18 columns and rows, ``;`` separated, UTF-8 with a BOM (Excel opens it as such),
decimal comma, dates ``JJ/MM/AAAA`` as French accounting software imports them.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Sequence
from functools import lru_cache

from .errors import InputError
from .ledger import Line, Posting

COLUMNS = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
           "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
           "ValidDate", "Montantdevise", "Idevise")
SEPARATORS = {"tab": "\t", "pipe": "|"}
ENCODINGS = {"latin9": "iso-8859-15", "utf8": "utf-8"}
CSV_BOM = "\ufeff"


def amount(cents: int) -> str:
    """1234567 → "12345,67": comma decimal, no thousands separator, no sign for the side columns."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"


ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


@lru_cache(maxsize=4096)
def _ymd(iso: str) -> tuple[str, str, str]:
    """"2025-03-14" → ("2025", "03", "14"); a text that is not a calendar date raises InputError."""
    match = ISO_DATE.match(iso)
    if match is None or not 1 <= int(match[2]) <= 12 or not (
            1 <= int(match[3]) <= calendar.monthrange(int(match[1]), int(match[2]))[1]):
        raise InputError(f"Date invalide : {iso}.", field="date")
    return match[1], match[2], match[3]


def fec_date(iso: str) -> str:
    """"2025-03-14" → "20250314"."""
    return "".join(_ymd(iso))


def csv_date(iso: str) -> str:
    """"2025-03-14" → "14/03/2025"."""
    year, month, day = _ymd(iso)
    return f"{day}/{month}/{year}"


FEC_BANNED = str.maketrans({ch: " " for ch in "\t|\r\n\""})
CSV_BANNED = str.maketrans({ch: " " for ch in "\r\n"})
# Typography that ISO-8859-15 lacks, written the way a French accountant would type it.
LATIN9_FRIENDLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": "'", "\u201d": "'", "\u2013": "-",
                                 "\u2014": "-", "\u2026": "...", "\u202f": " ", "\u00a0": " "})
TABLES = {"fec": (FEC_BANNED,), "latin9": (FEC_BANNED, LATIN9_FRIENDLY), "csv": (CSV_BANNED,)}


TEXT_COLUMNS = (0, 1, 4, 5, 6, 7, 8, 10)  # the others are numbers, dates and amounts we wrote ourselves


@lru_cache(maxsize=65536)
def _clean(text: str, mode: str) -> str:
    """One line of printable text: separators, quotes, line breaks and control characters become spaces."""
    for table in TABLES[mode]:
        text = text.translate(table)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text.strip()


def _rows(postings: Sequence[Posting]) -> list[list[str]]:
    return [_row(p, x) for p in postings for x in p.lines]


def _row(p: Posting, x: Line) -> list[str]:
    return [p.journal_code, p.journal_label, str(p.number), p.date, x.account, x.account_label, x.aux_account,
            x.aux_label, p.piece_ref, p.piece_date, x.label, amount(x.debit), amount(x.credit), "", "",
            p.valid_date, "", ""]


DATE_COLUMNS = (3, 9, 15)


def fec_bytes(postings: Sequence[Posting], *, sep: str = "tab", encoding: str = "latin9") -> bytes:
    """The FEC file's bytes; ``sep`` tab|pipe, ``encoding`` latin9|utf8 (InputError naming the field)."""
    if sep not in SEPARATORS:
        raise InputError("Séparateur : tab ou pipe.", field="sep")
    if encoding not in ENCODINGS:
        raise InputError("Encodage : latin9 (ISO-8859-15) ou utf8.", field="encoding")
    char = SEPARATORS[sep]
    lines = [char.join(COLUMNS)]
    for row in _rows(postings):
        for i in DATE_COLUMNS:
            row[i] = fec_date(row[i])
        for i in TEXT_COLUMNS:
            row[i] = _clean(row[i], "latin9" if encoding == "latin9" else "fec")
        lines.append(char.join(row))
    text = "\r\n".join(lines) + "\r\n"
    return text.encode(ENCODINGS[encoding], errors="replace")


class _Text:
    """What csv.writer writes into (kept in memory: domain/ does no I/O)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)


def csv_bytes(postings: Sequence[Posting]) -> bytes:
    """The same entries as a ``;`` CSV in UTF-8 with a BOM, dates JJ/MM/AAAA."""
    out = _Text()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in _rows(postings):
        for i in DATE_COLUMNS:
            row[i] = csv_date(row[i])
        for i in TEXT_COLUMNS:
            row[i] = _clean(row[i], "csv")
        writer.writerow(row)
    return (CSV_BOM + "".join(out.parts)).encode("utf-8")


def fiscal_year_end(day: str, start_month: int) -> str:
    """The closing date (ISO) of the fiscal year, starting on ``start_month``'s 1st, that contains ``day``."""
    year, month, _ = (int(x) for x in _ymd(day))
    first_year = year if month >= start_month else year - 1
    end_year, end_month = (first_year, 12) if start_month == 1 else (first_year + 1, start_month - 1)
    return f"{end_year:04d}-{end_month:02d}-{calendar.monthrange(end_year, end_month)[1]:02d}"


def fec_filename(siren: str, closing: str) -> str:
    """``<SIREN>FEC<AAAAMMJJ>.txt``, ``closing`` being the fiscal year's closing date (ISO)."""
    if not (len(siren) == 9 and siren.isascii() and siren.isdigit()):
        raise InputError("SIREN manquant ou invalide (9 chiffres).", field="siren")
    return f"{siren}FEC{fec_date(closing)}.txt"

"""The FEC file parsed back (DOMAIN.md §6), and its CSV twin."""

from __future__ import annotations

import copy
import csv
import io
from datetime import date

import pytest

from domain import InputError
from domain.chart import default_chart
from domain.fec import COLUMNS, amount, csv_bytes, csv_date, fec_bytes, fec_date, fec_filename, fiscal_year_end
from domain.ledger import ledger
from tests.domain.test_ledger import WORKED, v2


def three_days() -> list:
    day = copy.deepcopy(WORKED)
    day["settings"]["categories"][0]["label"] = "Pain € «tradition»\tbio|x"
    return ledger([v2(day, date="2025-03-15", sequence=2, closed_at="2025-03-15T19:00:00Z"),
                   v2(day, date="2025-03-14", sequence=1),
                   v2(day, date="2025-03-14", register=2, sequence=1, z_number="88")])


def parse(data: bytes, encoding: str, sep: str) -> list[list[str]]:
    text = data.decode(encoding)
    assert text.endswith("\r\n")
    return [line.split(sep) for line in text[:-2].split("\r\n")]


@pytest.mark.parametrize(("sep", "char"), [("tab", "\t"), ("pipe", "|")])
@pytest.mark.parametrize(("encoding", "codec"), [("latin9", "iso-8859-15"), ("utf8", "utf-8")])
def test_fec_parsed_back(sep: str, char: str, encoding: str, codec: str) -> None:
    postings = three_days()
    rows = parse(fec_bytes(postings, sep=sep, encoding=encoding), codec, char)
    assert tuple(rows[0]) == COLUMNS and len(COLUMNS) == 18
    body = rows[1:]
    assert all(len(r) == 18 for r in body)
    assert len(body) == sum(len(p.lines) for p in postings)
    nums = [int(r[2]) for r in body]
    assert sorted(set(nums)) == list(range(1, max(nums) + 1)) and nums == sorted(nums)
    for col in (3, 9, 15):
        assert all(len(r[col]) == 8 and r[col].isdigit() for r in body)
        date(int(body[0][col][:4]), int(body[0][col][4:6]), int(body[0][col][6:]))
    valid = [r[15] for r in body]
    assert valid == sorted(valid)
    assert [r[3] for r in body][:9] == ["20250314"] * 9
    for r in body:
        for col in (11, 12):
            whole, cents = r[col].split(",")
            assert whole.isdigit() and len(cents) == 2 and "." not in r[col] and " " not in r[col]
    by_num: dict[str, int] = {}
    for r in body:
        by_num[r[2]] = by_num.get(r[2], 0) + amount_cents(r[11]) - amount_cents(r[12])
    assert set(by_num.values()) == {0}
    assert ("CA", "Caisse") == (body[0][0], body[0][1])
    assert "Pain € «tradition» bio x" in {r[10].split(" - ")[-1] for r in body}
    assert {r[8] for r in body} == {"1-Z1234", "2-Z88"}
    assert body[0][16:] == ["", ""]


def amount_cents(text: str) -> int:
    whole, cents = text.split(",")
    return int(whole) * 100 + int(cents)


def test_latin9_is_the_default_and_holds_the_euro_sign() -> None:
    data = fec_bytes(three_days())
    assert "€".encode("iso-8859-15") in data and "€".encode() not in data
    assert data.split(b"\r\n")[0] == "\t".join(COLUMNS).encode()


def test_typography_latin9_lacks_is_written_plainly_and_the_rest_becomes_a_question_mark() -> None:
    day = copy.deepcopy(WORKED)
    day["settings"]["categories"][0]["label"] = "Pain d’épice – «bio» 🍞"
    latin9 = fec_bytes(ledger([v2(day)])).decode("iso-8859-15")
    assert "Pain d'épice - «bio» ?" in latin9
    utf8 = fec_bytes(ledger([v2(day)]), encoding="utf8").decode("utf-8")
    assert "Pain d’épice – «bio» 🍞" in utf8


def test_dates_are_checked_and_written_aaaammjj() -> None:
    assert (fec_date("2024-02-29"), csv_date("2024-02-29")) == ("20240229", "29/02/2024")
    for bad in ("2025-02-29", "2025-13-01", "2025-3-14", "14/03/2025", "2025-00-10"):
        with pytest.raises(InputError):
            fec_date(bad)


def test_amounts_have_a_comma_and_no_thousands_separator() -> None:
    assert [amount(x) for x in (0, 5, 123456789, 100)] == ["0,00", "0,05", "1234567,89", "1,00"]


def test_file_name_is_siren_fec_closing_date_of_the_fiscal_year() -> None:
    assert fiscal_year_end("2025-03-14", 1) == "2025-12-31"
    assert fiscal_year_end("2025-03-14", 7) == "2025-06-30"
    assert fiscal_year_end("2025-08-01", 7) == "2026-06-30"
    assert fiscal_year_end("2024-02-10", 3) == "2024-02-29" and fiscal_year_end("2024-03-01", 3) == "2025-02-28"
    assert fec_filename("732829320", "2025-12-31") == "732829320FEC20251231.txt"
    for bad in ("", "73282932", "7328293201", "73282932A"):
        with pytest.raises(InputError):
            fec_filename(bad, "2025-12-31")


def test_bad_separator_or_encoding_names_the_field() -> None:
    with pytest.raises(InputError) as err:
        fec_bytes([], sep=";")
    assert err.value.field == "sep"
    with pytest.raises(InputError) as err:
        fec_bytes([], encoding="cp1252")
    assert err.value.field == "encoding"


def test_the_csv_holds_the_same_rows() -> None:
    postings = three_days()
    data = csv_bytes(postings)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    fec = parse(fec_bytes(postings, encoding="utf8"), "utf-8", "\t")
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(fec)
    assert rows[1][3] == "14/03/2025"
    assert [(r[2], r[4], r[11], r[12]) for r in rows[1:]] == [(r[2], r[4], r[11], r[12]) for r in fec[1:]]


def test_changing_the_chart_after_closing_leaves_the_export_byte_identical() -> None:
    payloads = [v2(WORKED, chart=default_chart("company"))]
    before = fec_bytes(ledger(payloads))
    chart_today = {**default_chart("company"), "cash": "531", "sales": "706"}
    assert chart_today != payloads[0]["chart"]  # what the company has now plays no part
    assert fec_bytes(ledger(copy.deepcopy(payloads))) == before

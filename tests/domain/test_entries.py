"""Accounting entries of a day in the cash journal, checked against DOMAIN.md §5 line by line."""

from __future__ import annotations

from typing import Any

import pytest

from domain import DEFAULT_CHART, Entry, EntryLine, UnbalancedEntryError, day_entries, parse_day_input
from domain.entries import vat_output_account

CASH = {"id": 1, "kind": "cash", "deposit_mode": "manual", "label": "Espèces"}
CARD = {"id": 2, "kind": "card", "deposit_mode": "automatic", "label": "Carte"}
CHEQUE = {"id": 3, "kind": "cheque", "deposit_mode": "manual", "label": "Chèques"}
VOUCHER = {"id": 4, "kind": "gift_voucher", "deposit_mode": "automatic", "label": "Bons"}
CREDIT = {"id": 5, "kind": "customer_credit", "deposit_mode": "automatic", "label": "Crédit"}
ALL_ON = {"opt_customer_credit": True, "credit_mode": "detailed", "opt_gift_vouchers": True,
          "opt_cash_expenses": True, "opt_transfers": True, "opt_overpayments": True}


def worked_day(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "settings": {
            "categories": [{"id": 1, "vat_bp": 550, "position": 1, "label": "Pain", "account": "701"},
                           {"id": 2, "vat_bp": 1000, "position": 2, "label": "Viennoiserie", "account": "701"},
                           {"id": 3, "vat_bp": 2000, "position": 3, "label": "Boissons", "account": "707"}],
            "methods": [CASH, CARD, CHEQUE], "options": ALL_ON,
            "suppliers": [{"id": 21, "label": "Minoterie", "vat_bp": 550, "account": "601"}],
        },
        "previous_counts": {"1": 20000, "3": 0},
        "day": {"date": "2025-03-14", "z_number": "1234", "sales_count": 150,
                "sales": [{"category_id": 1, "amount": 63300}, {"category_id": 2, "amount": 22000},
                          {"category_id": 3, "amount": 12000}],
                "payments": [{"method_id": 1, "amount": 40000}, {"method_id": 2, "amount": 50300},
                             {"method_id": 3, "amount": 7000}],
                "counts": [{"method_id": 1, "amount": 21635}, {"method_id": 3, "amount": 7000}],
                "comment": "Erreur de rendu",
                "flows": [{"id": "e", "kind": "expense", "amount": 3165, "supplier_id": 21, "vat_bp": 550},
                          {"id": "d", "kind": "deposit", "amount": 35000, "method_id": 1}]},
    }
    raw["day"].update(changes)
    return raw


def moves(entry: Entry) -> list[tuple[str, int, int]]:
    return [(x.account, x.debit, x.credit) for x in entry.lines]


def test_the_worked_day_gives_its_four_entries_to_the_cent() -> None:
    entries = day_entries(parse_day_input(worked_day()))
    assert [e.journal for e in entries] == ["CA"] * 4
    assert {e.date for e in entries} == {"2025-03-14"}
    sales, expense, deposit, shortage = entries
    # (1) D 530 400,00, D 5112 70,00, D 5115 503,00 / C 701 600,00, C 701 200,00, C 707 100,00, C 44571x
    assert sorted(moves(sales)) == sorted([
        ("530", 40000, 0), ("5112", 7000, 0), ("5115", 50300, 0),
        ("701", 0, 60000), ("701", 0, 20000), ("707", 0, 10000),
        ("44571055", 0, 3300), ("44571100", 0, 2000), ("44571200", 0, 2000)])
    # (2) D 601 30,00, D 44566 1,65 / C 530 31,65
    assert moves(expense) == [("601", 3000, 0), ("44566", 165, 0), ("530", 0, 3165)]
    # (3) D 580 350,00 / C 530 350,00
    assert moves(deposit) == [("580", 35000, 0), ("530", 0, 35000)]
    # (4) D 658 2,00 / C 530 2,00
    assert moves(shortage) == [("658", 200, 0), ("530", 0, 200)]


def test_every_worked_day_entry_balances_and_each_line_is_one_sided() -> None:
    for entry in day_entries(parse_day_input(worked_day())):
        assert sum(x.debit for x in entry.lines) == sum(x.credit for x in entry.lines) > 0
        assert all((x.debit > 0) != (x.credit > 0) for x in entry.lines)


def test_an_unbalanced_entry_cannot_be_built() -> None:
    with pytest.raises(UnbalancedEntryError):
        Entry("CA", None, "Faux", (EntryLine("530", debit=100), EntryLine("707", credit=99)))
    with pytest.raises(UnbalancedEntryError):
        Entry("CA", None, "Deux côtés", (EntryLine("530", debit=100, credit=100),))


def test_a_day_whose_breakdown_does_not_match_has_no_entries() -> None:
    raw = worked_day(payments=[{"method_id": 1, "amount": 40000}, {"method_id": 2, "amount": 50000},
                               {"method_id": 3, "amount": 7000}])
    with pytest.raises(UnbalancedEntryError):
        day_entries(parse_day_input(raw))


def test_the_company_chart_overrides_the_default() -> None:
    chart = {"cash": "531", "vat_output_550": "445710", "shortage": "6580"}
    sales, expense, deposit, shortage = day_entries(parse_day_input(worked_day()), chart)
    assert ("531", 40000, 0) in moves(sales) and ("445710", 0, 3300) in moves(sales)
    assert moves(expense)[-1] == ("531", 0, 3165)
    assert moves(shortage) == [("6580", 200, 0), ("531", 0, 200)]
    assert DEFAULT_CHART["cash"] == "530"  # the default itself is untouched


@pytest.mark.parametrize("vat_bp, account", [(550, "44571055"), (1000, "44571100"), (2000, "44571200"),
                                             (210, "44571021"), (0, "44571000"), (855, "44571855")])
def test_one_output_vat_sub_account_per_rate(vat_bp: int, account: str) -> None:
    assert vat_output_account(DEFAULT_CHART, vat_bp) == account


def every_flow_day() -> dict[str, Any]:
    raw = worked_day(
        sales=[{"category_id": 3, "amount": 12000}],
        payments=[{"method_id": 1, "amount": 5000}, {"method_id": 4, "amount": 3000},
                  {"method_id": 5, "amount": 4000}],
        counts=[{"method_id": 1, "amount": 35550}, {"method_id": 3, "amount": 7200}], sales_count=3,
        flows=[{"id": "a", "kind": "cash_in", "amount": 10000, "method_id": 1, "owner": True},
               {"id": "b", "kind": "cash_out", "amount": 1000, "method_id": 1},
               {"id": "c", "kind": "transfer", "amount": 5000, "method_id": 1, "to_method_id": 3},
               {"id": "d", "kind": "credit_granted", "amount": 2500, "customer_id": 7},
               {"id": "e", "kind": "credit_settled", "amount": 2200, "method_id": 3, "customer_id": 8},
               {"id": "f", "kind": "refund", "amount": 700, "method_id": 1, "customer_id": 7},
               {"id": "g", "kind": "voucher_sold", "amount": 5000, "method_id": 1, "code": "BC-1"},
               {"id": "h", "kind": "voucher_redeemed", "amount": 3000, "code": "BC-1"},
               {"id": "i", "kind": "voucher_expired", "amount": 1500, "code": "BC-0"},
               {"id": "j", "kind": "overpayment", "amount": -250, "method_id": 1},
               {"id": "k", "kind": "expense", "amount": 1200, "method_id": 1, "label": "Timbres", "vat_bp": 0},
               {"id": "l", "kind": "void", "voids": "k"}])
    raw["settings"]["methods"] = [CASH, CARD, CHEQUE, VOUCHER, CREDIT]
    raw["settings"]["customers"] = [{"id": 7, "label": "Mme Martin", "account": "411MARTIN"}, {"id": 8}]
    raw["previous_counts"] = {"1": 20000, "3": 0}
    return raw


def test_every_flow_kind_posts_to_its_accounts() -> None:
    entries = day_entries(parse_day_input(every_flow_day()), {"owner": "455"})
    by_label = {e.label: moves(e) for e in entries}
    # Z: voucher redemption debits 4191, the credit line is split per customer (detailed), the rest on 411
    assert sorted(by_label["Ventes Z 1234"]) == sorted([
        ("530", 5000, 0), ("4191", 3000, 0), ("411MARTIN", 2500, 0), ("411", 1500, 0),
        ("707", 0, 10000), ("44571200", 0, 2000)])
    assert by_label["Apport"] == [("530", 10000, 0), ("455", 0, 10000)]
    assert by_label["Sortie"] == [("580", 1000, 0), ("530", 0, 1000)]
    assert by_label["Transfert"] == [("5112", 5000, 0), ("530", 0, 5000)]
    assert by_label["Règlement client"] == [("5112", 2200, 0), ("411", 0, 2200)]
    assert by_label["Remboursement"] == [("411", 700, 0), ("530", 0, 700)]
    assert by_label["Bon cadeau vendu BC-1"] == [("530", 5000, 0), ("4191", 0, 5000)]
    assert by_label["Bon cadeau expiré BC-0"] == [("4191", 1500, 0), ("758", 0, 1500)]
    assert by_label["Trop-perçu"] == [("4197", 250, 0), ("530", 0, 250)]
    assert "Dépense Timbres" not in by_label  # voided
    # cash: 200,00 + 50,00 + 100,00 − 10,00 − 50,00 − 7,00 + 50,00 − 2,50 = 330,50; counted 355,50 → +25,00
    # cheques: 0 + 50,00 + 22,00 = 72,00 counted 72,00 → no entry
    assert by_label["Écart de caisse Espèces"] == [("530", 2500, 0), ("758", 0, 2500)]
    assert "Écart de caisse Chèques" not in by_label
    refund = next(e for e in entries if e.label == "Remboursement")
    assert refund.lines[0].aux == "7"
    for entry in entries:
        assert sum(x.debit for x in entry.lines) == sum(x.credit for x in entry.lines)

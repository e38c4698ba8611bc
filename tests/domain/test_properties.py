"""Properties of the cash rules over random days (hypothesis drives a `random.Random`, so a failure shrinks).

The ledger model below applies flows one by one to drawers, written from DOMAIN.md §2 and the flow table of
ARCHITECTURE.md, independently of domain/day.py's EFFECTS table: the two must agree to the cent.
"""

from __future__ import annotations

import json
import pathlib
import random
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import (
    GENESIS,
    can_close,
    canonical_json,
    compute_day,
    day_entries,
    evaluate,
    parse_day_input,
    seal,
    split_ttc,
    verify_chain,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASH, CARD, CHEQUE, VOUCHER, CREDIT = 1, 2, 3, 4, 5
METHODS = [
    {"id": CASH, "kind": "cash", "deposit_mode": "manual", "label": "Espèces"},
    {"id": CARD, "kind": "card", "deposit_mode": "automatic", "label": "Carte"},
    {"id": CHEQUE, "kind": "cheque", "deposit_mode": "manual", "label": "Chèques"},
    {"id": VOUCHER, "kind": "gift_voucher", "deposit_mode": "automatic", "label": "Bons"},
    {"id": CREDIT, "kind": "customer_credit", "deposit_mode": "automatic", "label": "Crédit"},
]
MANUAL = (CASH, CHEQUE)
DRAWERS = (CASH, CARD, CHEQUE)  # what a flow may move
RATES = (0, 210, 550, 1000, 2000)


def random_flow(rng: random.Random, index: int, earlier: list[dict[str, Any]], mode: str) -> dict[str, Any]:
    kind = rng.choice(["cash_in", "cash_out", "expense", "deposit", "transfer", "credit_granted", "credit_settled",
                       "refund", "voucher_sold", "voucher_redeemed", "voucher_expired", "overpayment", "void"])
    flow: dict[str, Any] = {"id": f"f{index:03d}", "kind": kind, "amount": rng.randint(1, 200_000)}
    customer = rng.choice([7, 8]) if mode == "detailed" else None
    targets = [f["id"] for f in earlier if f["kind"] != "void"]
    if kind == "void" and targets:
        return {"id": flow["id"], "kind": "void", "voids": rng.choice(targets)}
    if kind in ("void", "cash_in", "cash_out"):
        flow.update(kind=kind if kind != "void" else "cash_in", method_id=rng.choice(DRAWERS),
                    owner=rng.random() < 0.5)
    elif kind == "expense":
        flow.update(vat_bp=rng.choice(RATES), label="Achat", **({"method_id": CASH} if rng.random() < 0.5 else {}))
    elif kind == "deposit":
        flow["method_id"] = rng.choice(MANUAL)
    elif kind == "transfer":
        source, target = rng.sample(DRAWERS, 2)
        flow.update(method_id=source, to_method_id=target)
    elif kind in ("credit_granted", "credit_settled"):
        flow.update(customer_id=customer, **({"method_id": rng.choice(DRAWERS)} if kind == "credit_settled" else {}))
    elif kind in ("refund", "voucher_sold"):
        flow["method_id"] = rng.choice(DRAWERS)
    elif kind == "overpayment":
        flow.update(method_id=rng.choice(DRAWERS), amount=rng.choice([-1, 1]) * flow["amount"])
    if kind.startswith("voucher_"):
        flow["code"] = rng.choice(["BC-1", "BC-2", "BC-3"])
    return {k: v for k, v in flow.items() if v is not None}


def random_day(rng: random.Random, previous: dict[Any, int] | None = None, balanced: bool = False) -> dict[str, Any]:
    """A valid day input: random settings, sales, payments, counts and up to 15 flows."""
    mode = rng.choice(["detailed", "lump"])
    categories: list[dict[str, Any]] = [
        {"id": i, "vat_bp": rng.choice(RATES), "position": rng.randint(0, 5), "label": f"C{i}"}
        for i in range(1, rng.randint(1, 4) + 1)]
    sales = [{"category_id": c["id"], "amount": rng.randint(-500, 2_000_000)} for c in categories]
    total: int = sum(s["amount"] for s in sales)
    payments: list[dict[str, Any]] = []
    for method in (CASH, CARD, CHEQUE, VOUCHER, CREDIT):
        share = rng.randint(0, max(total, 0)) if method != CREDIT else total
        payments.append({"method_id": method, "amount": share})
        total -= share
    if not balanced and rng.random() < 0.3:
        payments[0]["amount"] += rng.randint(-5000, 5000)
    flows: list[dict[str, Any]] = []
    for index in range(rng.randint(0, 15)):
        flows.append(random_flow(rng, index, flows, mode))
    if previous is None:
        previous = {m: rng.randint(0, 500_000) for m in MANUAL if rng.random() < 0.8}
    return {
        "settings": {
            "categories": categories, "methods": METHODS,
            "customers": [{"id": 7, "label": "A"}, {"id": 8, "label": "B"}],
            "min_threshold": rng.choice([None, 0, 5_000, 20_000]),
            "max_threshold": rng.choice([None, 0, 100_000, 400_000]),
            "tolerance": rng.choice([0, 100, 500]), "opening_day": rng.random() < 0.9,
            "options": {"opt_customer_credit": True, "credit_mode": mode, "opt_gift_vouchers": True,
                        "opt_cash_expenses": True, "opt_transfers": True, "opt_overpayments": True},
        },
        "previous_counts": {str(k): v for k, v in previous.items()},
        "day": {
            "z_number": str(rng.randint(1, 999)), "sales_count": rng.randint(0, 300), "sales": sales,
            "payments": payments, "comment": rng.choice(["", " ", "Écart expliqué"]), "flows": flows,
            "opening": [{"method_id": m, "amount": rng.randint(0, 300_000)} for m in MANUAL if rng.random() < 0.3],
            "counts": [{"method_id": m, "amount": rng.randint(-1000, 900_000)} for m in MANUAL if rng.random() < 0.7],
        },
        "at_close": rng.random() < 0.5,
    }


def ledger(raw: dict[str, Any]) -> dict[Any, int]:
    """Money into (+) and out of (−) each method's drawer over the day, flow by flow."""
    flows = raw["day"]["flows"]
    voided = {f["voids"] for f in flows if f["kind"] == "void"}
    drawer: dict[Any, int] = {m["id"]: 0 for m in METHODS}
    for line in raw["day"]["payments"]:
        drawer[line["method_id"]] += line["amount"]
    for flow in flows:
        if flow["kind"] == "void" or flow["id"] in voided:
            continue
        kind, amount, method = flow["kind"], flow["amount"], flow.get("method_id", CASH)
        if kind in ("cash_in", "credit_settled", "voucher_sold", "overpayment"):
            drawer[method] += amount
        elif kind in ("cash_out", "expense", "deposit", "refund"):
            drawer[method] -= amount
        elif kind == "transfer":
            drawer[method] -= amount
            drawer[flow["to_method_id"]] += amount
        else:
            assert kind in ("credit_granted", "voucher_redeemed", "voucher_expired")
    return drawer


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False))
def test_money_is_conserved_flow_by_flow(rng: random.Random) -> None:
    raw = random_day(rng)
    result = compute_day(parse_day_input(raw))
    moved = ledger(raw)
    for balance in result.manual:
        assert balance.expected == (balance.opening or 0) + moved[balance.method.id]
        assert balance.takings == moved[balance.method.id]
    for balance in result.automatic:
        assert balance.takings == moved[balance.method.id]
    # transfers move money between drawers, never create it
    flows = [f for f in raw["day"]["flows"] if f["kind"] != "void"
             and f["id"] not in {g.get("voids") for g in raw["day"]["flows"]}]
    signs = {"cash_in": 1, "credit_settled": 1, "voucher_sold": 1, "overpayment": 1,
             "cash_out": -1, "expense": -1, "deposit": -1, "refund": -1}
    entering_minus_leaving = sum(signs.get(f["kind"], 0) * f["amount"] for f in flows)
    change = sum(b.takings for b in result.manual + result.automatic)
    assert change == result.totals.payments_total + entering_minus_leaving


@settings(max_examples=100, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 6))
def test_tomorrows_carried_opening_is_todays_count(rng: random.Random, days: int) -> None:
    previous: dict[Any, int] | None = None
    for _ in range(days):
        raw = random_day(rng, previous)
        result = compute_day(parse_day_input(raw))
        typed = {line["method_id"]: line["amount"] for line in raw["day"]["opening"]}
        for balance in result.manual:
            method = balance.method.id
            carried = None if previous is None else previous.get(method)
            if previous is not None:
                assert balance.carried_opening == carried
                if method not in typed:
                    assert balance.opening == (carried or 0)
            if method in typed and balance.carried_opening is not None:
                assert balance.opening_difference == typed[method] - balance.carried_opening
        previous = {b.method.id: b.counted for b in result.manual if b.counted is not None}


@given(st.integers(-99_999_999_999, 99_999_999_999), st.integers(0, 10_000))
def test_ht_plus_vat_is_ttc_and_rounding_is_nearest_half_away(ttc: int, vat_bp: int) -> None:
    ht, vat = split_ttc(ttc, vat_bp)
    assert ht + vat == ttc
    scale = 10_000 + vat_bp
    error = ht * scale - ttc * 10_000  # in 1/scale cents
    assert 2 * abs(error) <= scale
    if 2 * abs(error) == scale:  # an exact tie went away from zero
        assert abs(ht) * scale > abs(ttc) * 10_000
    assert split_ttc(-ttc, vat_bp) == (-ht, -vat)


def shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON value with every object's key order and the day's sortable lists permuted."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        items = [shuffled(item, rng) for item in value]
        rng.shuffle(items)
        return items
    return value


def record(rng: random.Random, sequence: int) -> dict[str, Any]:
    raw = random_day(rng)["day"]
    return {"register_id": 1, "date": f"2025-03-{sequence:02d}", "sequence": sequence, "z_number": raw["z_number"],
            "sales": [{**line, "position": line["category_id"]} for line in raw["sales"]],
            "payments": raw["payments"], "counts": raw["counts"], "opening": raw["opening"],
            "flows": raw["flows"], "comment": raw["comment"], "label": "Épicerie « fine »"}


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_canonical_json_ignores_key_and_list_order(rng: random.Random) -> None:
    day = record(rng, 1)
    assert canonical_json(shuffled(day, rng)) == canonical_json(day)
    assert json.loads(canonical_json(day))["sequence"] == 1


@settings(max_examples=100, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(1, 8), st.data())
def test_chain_verification_names_the_day_whose_amount_changed(rng: random.Random, count: int,
                                                               data: st.DataObject) -> None:
    records = seal([record(rng, n) for n in range(1, count + 1)])
    assert verify_chain(records) is None
    assert records[0]["hash"] != GENESIS
    index = data.draw(st.integers(0, count - 1))
    delta = data.draw(st.integers(-10_000, 10_000).filter(bool))
    tampered = json.loads(json.dumps(records))
    tampered[index]["day"]["payments"][0]["amount"] += delta
    broken = verify_chain(tampered)
    assert broken is not None
    assert (broken.index, broken.sequence, broken.reason) == (index, index + 1, "hash")


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_books_move_each_drawer_as_the_drawer_moved(rng: random.Random) -> None:
    raw = random_day(rng, balanced=True)
    day_input = parse_day_input(raw)
    result = compute_day(day_input)
    entries = day_entries(day_input)  # raises if one entry were unbalanced
    for entry in entries:
        assert sum(x.debit for x in entry.lines) == sum(x.credit for x in entry.lines)
    accounts: dict[Any, str] = {CASH: "530", CHEQUE: "5112"}
    for balance in result.manual:
        net = sum(x.debit - x.credit for e in entries for x in e.lines if x.account == accounts[balance.method.id])
        closing = balance.counted if balance.counted is not None else balance.expected
        assert net == (closing or 0) - (balance.opening or 0)


NODE = shutil.which("node")
TWIN = """
import { readFileSync } from 'node:fs';
import { computeDay, evaluate } from './pwa/src/domain/index.js';
const out = JSON.parse(readFileSync(0, 'utf8')).map((raw) => {
  try { return { result: computeDay(raw), findings: evaluate(raw, raw.at_close) }; }
  catch (error) { return { error: error.name }; }
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_javascript_twin_agrees_on_random_days() -> None:
    rng = random.Random(20250314)
    inputs = [random_day(rng) for _ in range(400)]
    done = subprocess.run([NODE or "node", "--input-type=module", "-e", TWIN], cwd=ROOT, check=True,
                          input=json.dumps(inputs), capture_output=True, text=True)
    theirs = json.loads(done.stdout)
    for raw, twin in zip(inputs, theirs, strict=True):
        day_input = parse_day_input(raw)
        findings = evaluate(day_input, raw["at_close"])
        mine = {"result": compute_day(day_input).as_dict(), "findings": [f.as_dict() for f in findings]}
        assert twin == mine
        assert can_close(findings) == (not any(f["severity"] == "error" for f in twin["findings"]))
    assert sum(1 for t in theirs if t["findings"]) > 100  # the sample exercises the controls

"""The daily synthesis of one closed day, against figures computed here from what was entered: revenue TTC, HT
and VAT by rate, revenue by category, takings by payment method, the drawer of each manual method (cash, cheque)
with its difference."""

from __future__ import annotations

from domain.money import parse_wire
from server.extensions import db
from server.models import PaymentMethod, SalesCategory
from tests.server.reports_helpers import half_away, value
from tests.server.test_days_api import WORKED_DAY, categories, day_url, worked_header

EXPENSE, DEPOSIT, CASH_GAP, CHEQUE_GAP = 3_165, 35_000, -200, -500


def euros(amount: str | int) -> int:
    """An amount as the day's header sends it ("633.00" or 220 euros) in cents."""
    return parse_wire(str(amount))


def test_daily_synthesis_of_a_closed_day(app, auth, demo):
    client, url, m = auth("gerant@demo.test"), day_url(demo, WORKED_DAY), demo["bakery_methods"]
    header = worked_header(demo)
    r = client.put(url, json=header)
    assert r.status_code == 200, r.json
    assert (
        client.post(
            url + "/flows",
            json={"kind": "expense", "amount": "31.65", "label": "Farine", "vat_bp": 550, "method_id": m["cash"]},
        ).status_code
        == 201
    )
    assert (
        client.post(
            url + "/flows", json={"kind": "deposit", "amount": "350", "method_id": m["cash"], "slip_number": "RB-1"}
        ).status_code
        == 201
    )
    paid = {p["method_id"]: euros(p["amount"]) for p in header["payments"]}
    opening = {o["method_id"]: euros(o["amount"]) for o in header["opening"]}
    expected = {m["cash"]: opening[m["cash"]] + paid[m["cash"]] - EXPENSE - DEPOSIT, m["cheque"]: paid[m["cheque"]]}
    counted = {m["cash"]: expected[m["cash"]] + CASH_GAP, m["cheque"]: expected[m["cheque"]] + CHEQUE_GAP}
    r = client.put(
        url,
        json={
            "base_revision": client.get(url).json["revision"],
            "comment": "Pièces égarées",
            "counts": [{"method_id": k, "amount": f"{v / 100:.2f}"} for k, v in counted.items()],
        },
    )
    assert r.status_code == 200, r.json
    assert client.post(url + "/close", json={}).status_code == 200

    with app.app_context():
        rates = {c.id: (c.label, c.vat_bp) for c in db.session.execute(db.select(SalesCategory)).scalars()}
        labels = {p.id: p.label for p in db.session.execute(db.select(PaymentMethod)).scalars()}
    data = client.get(f"/api/companies/{demo['bakery']}/reports/daily?date={WORKED_DAY}").json
    assert [b["register"]["id"] for b in data["registers"]] == [demo["bakery_registers"][0]]
    block = data["registers"][0]
    assert block["provisional"] is False and block["z_number"] == "Z-0412" and block["comment"] == "Pièces égarées"

    # VAT by rate: HT = TTC / (1 + rate), to the cent; VAT = TTC − HT
    sold = {s["category_id"]: euros(s["amount"]) for s in header["sales"]}
    want_vat = []
    for category_id, ttc in sorted(sold.items(), key=lambda kv: rates[kv[0]][1]):
        bp = rates[category_id][1]
        ht = half_away(ttc * 10_000, 10_000 + bp)
        want_vat.append({"vat_bp": bp, "ttc": ttc, "ht": ht, "vat": ttc - ht})
    got_vat = [{k: v if k == "vat_bp" else value(v) for k, v in line.items()} for line in data["vat_lines"]]
    assert got_vat == want_vat
    assert [{k: v if k == "vat_bp" else value(v) for k, v in line.items()} for line in block["vat_lines"]] == want_vat
    assert value(data["totals"]["revenue_ttc"]) == sum(sold.values())
    assert value(data["totals"]["revenue_ht"]) == sum(line["ht"] for line in want_vat)

    # revenue by category, with its name and rate
    cat = categories(demo)
    got_categories = {c["label"]: (c["vat_bp"], value(c["ttc"]), value(c["ht"])) for c in block["categories"]}
    assert got_categories == {
        rates[cid][0]: (rates[cid][1], sold[cid], half_away(sold[cid] * 10_000, 10_000 + rates[cid][1]))
        for cid in (cat["pain"], cat["snacking"], cat["epicerie"])
    }

    # takings by payment method (card included), for the register and for the company
    want_mix = {labels[method]: amount for method, amount in paid.items()}
    assert {p["label"]: value(p["amount"]) for p in block["payment_methods"]} == want_mix
    assert {p["label"]: value(p["amount"]) for p in data["payment_methods"]} == want_mix

    # the drawer of each manual method: the card (deposited automatically) has none
    drawers = {d["method_id"]: d for d in block["drawers"]}
    assert set(drawers) == {m["cash"], m["cheque"]}
    for method in (m["cash"], m["cheque"]):
        d = drawers[method]
        assert d["label"] == labels[method]
        assert (value(d["opening"]), value(d["expected"]), value(d["counted"]), value(d["difference"])) == (
            opening.get(method, 0),
            expected[method],
            counted[method],
            counted[method] - expected[method],
        ), d
    assert value(block["figures"]["difference"]) == CASH_GAP  # the synthesis' « écart » is the cash one
    assert value(data["totals"]["average_basket"]) == half_away(sum(sold.values()), header["sales_count"])

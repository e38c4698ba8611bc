"""Seed the demo once: Cabinet Démo, Boulangerie du Marché (2 registers), Café des Arts (1 register)."""

from __future__ import annotations

from datetime import date

from server.extensions import db
from server.models import (
    CalendarException,
    Company,
    Customer,
    Firm,
    Membership,
    PaymentMethod,
    Register,
    SalesCategory,
    Supplier,
    User,
)
from server.services.passwords import hash_secret

PASSWORD = "demo1234"
FIRM_NAME = "Cabinet Démo"
LOGINS = [
    ("cabinet@demo.test", "Claire Comptable", "firm_admin", None),
    ("gerant@demo.test", "Gérard Boulanger", "admin", "Boulangerie du Marché"),
    ("caisse@demo.test", "Camille Caissière", "cashier", "Boulangerie du Marché"),
    ("cafe@demo.test", "Amélie Cafetière", "admin", "Café des Arts"),
]

BAKERY = {
    "name": "Boulangerie du Marché", "siren": "732829320", "address": "12 place du Marché, 45170 Neuville-aux-Bois",
    "fiscal_year_start_month": 1, "legal_form": "sole_trader", "opt_customer_credit": True, "credit_mode": "detailed",
    "opt_gift_vouchers": True, "opt_cash_expenses": True, "opt_transfers": True, "opt_overpayments": True,
    "cash_tolerance_cents": 0, "weekly_pattern": "0111111",
}
CAFE = {
    "name": "Café des Arts", "siren": "542051180", "address": "3 rue des Arts, 78320 Le Mesnil-Saint-Denis",
    "fiscal_year_start_month": 7, "legal_form": "company", "opt_customer_credit": True, "credit_mode": "lump",
    "opt_gift_vouchers": False, "opt_cash_expenses": True, "opt_transfers": False, "opt_overpayments": True,
    "cash_tolerance_cents": 100, "weekly_pattern": "1111100",
}
BAKERY_CATEGORIES = [
    ("Pain", 550, "701"), ("Viennoiserie", 550, "701"), ("Pâtisserie", 550, "701"),
    ("Snacking sur place", 1000, "706"), ("Boissons", 1000, "707"), ("Épicerie", 2000, "707"),
]
CAFE_CATEGORIES = [
    ("Boissons sans alcool", 1000, "707"), ("Boissons alcoolisées", 2000, "707"),
    ("Restauration", 1000, "706"), ("Vente à emporter", 550, "707"),
]
METHODS = [
    ("Espèces", "cash", "manual", "530"), ("Carte bancaire", "card", "automatic", "5115"),
    ("Chèque", "cheque", "manual", "5112"), ("Ticket restaurant", "meal_voucher", "automatic", "5116"),
    ("Bon cadeau", "gift_voucher", "automatic", "4191"), ("Crédit client", "customer_credit", "automatic", "411"),
]


def _company(firm: Firm, data: dict, registers: list[tuple[str, int, int, str | None]], categories,
             methods) -> Company:
    company = Company(firm_id=firm.id, **data)
    db.session.add(company)
    db.session.flush()
    for pos, (name, low, high, pattern) in enumerate(registers, start=1):
        db.session.add(Register(company_id=company.id, name=name, position=pos, weekly_pattern=pattern,
                                min_threshold_cents=low, max_threshold_cents=high))
    for pos, (label, vat_bp, account) in enumerate(categories, start=1):
        db.session.add(SalesCategory(company_id=company.id, label=label, vat_bp=vat_bp,
                                     revenue_account=account, position=pos))
    for pos, (label, kind, mode, account) in enumerate(methods, start=1):
        db.session.add(PaymentMethod(company_id=company.id, label=label, kind=kind, deposit_mode=mode,
                                     account=account, position=pos))
    return company


def seed() -> bool:
    """Create the demo data; False (and nothing written) when it is already there."""
    if db.session.execute(db.select(Firm).where(Firm.name == FIRM_NAME)).scalar_one_or_none():
        return False
    firm = Firm(name=FIRM_NAME, phone="01 39 04 05 00", email="contact@cabinet-demo.test")
    db.session.add(firm)
    db.session.flush()
    # « Marché du samedi » has its own calendar: Saturdays only (the bakery opens Tuesday to Sunday).
    bakery = _company(firm, BAKERY, [("Boutique", 10000, 150000, None),
                                     ("Marché du samedi", 5000, 80000, "0000010")], BAKERY_CATEGORIES, METHODS)
    cafe = _company(firm, CAFE, [("Comptoir", 15000, 100000, None)], CAFE_CATEGORIES,
                    [m for m in METHODS if m[1] != "gift_voucher"])
    for name, account in [("Mairie de Neuville", "411MAIRIE"), ("École Saint-Joseph", "411ECOLE"),
                          ("M. Martin", "411MARTIN"), ("Mme Lefèvre", "411LEFEVRE")]:
        db.session.add(Customer(company_id=bakery.id, name=name, account=account))
    db.session.add(Customer(company_id=cafe.id, name="Théâtre municipal", account="411THEATRE"))
    for name, account, vat_bp in [("Moulins Bourgeois", "601", 550), ("Laiterie du Val", "601", 550),
                                  ("Quincaillerie Dupont", "606", 2000), ("La Poste", "626", 0)]:
        db.session.add(Supplier(company_id=bakery.id, name=name, expense_account=account, vat_bp=vat_bp))
    db.session.add(Supplier(company_id=cafe.id, name="Brûlerie Lacroix", expense_account="607", vat_bp=550))
    for company in (bakery, cafe):
        db.session.add(CalendarException(company_id=company.id, date=date(2026, 12, 25), is_open=False,
                                         label="Noël"))
        db.session.add(CalendarException(company_id=company.id, date=date(2027, 1, 1), is_open=False,
                                         label="Jour de l'an"))
    companies = {c.name: c for c in (bakery, cafe)}
    hashed = hash_secret(PASSWORD)
    for email, name, role, company_name in LOGINS:
        user = User(email=email, name=name, password_hash=hashed)
        db.session.add(user)
        db.session.flush()
        if company_name is None:
            db.session.add(Membership(user_id=user.id, firm_id=firm.id, role=role))
        else:
            db.session.add(Membership(user_id=user.id, company_id=companies[company_name].id, role=role))
    db.session.commit()
    from server.demo.history import seed_history

    seed_history()
    return True

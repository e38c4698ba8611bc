"""Sensible defaults for a new company, by trade: its sales categories (Z order) and the usual payment
methods. The chart of accounts needs none: an empty `company.accounts` is DOMAIN §5's `DEFAULT_CHART`."""

from __future__ import annotations

# label, VAT in basis points, revenue account (701 own products, 706 services, 707 goods)
CATEGORIES: dict[str, list[tuple[str, int, str]]] = {
    "bakery": [("Pain", 550, "701"), ("Viennoiserie", 550, "701"), ("Pâtisserie", 550, "701"),
               ("Snacking sur place", 1000, "706"), ("Boissons", 1000, "707"), ("Épicerie", 2000, "707")],
    "cafe": [("Boissons sans alcool", 1000, "707"), ("Boissons alcoolisées", 2000, "707"),
             ("Restauration", 1000, "706"), ("Vente à emporter", 550, "707")],
    "retail": [("Marchandises 20 %", 2000, "707"), ("Marchandises 5,5 %", 550, "707")],
    "services": [("Prestations", 2000, "706"), ("Produits", 2000, "707")],
}
TRADES = tuple(CATEGORIES)

# label, kind, deposit mode, account
METHODS: list[tuple[str, str, str, str]] = [
    ("Espèces", "cash", "manual", "530"), ("Carte bancaire", "card", "automatic", "5115"),
    ("Chèque", "cheque", "manual", "5112"), ("Ticket restaurant", "meal_voucher", "automatic", "5116"),
    ("Bon cadeau", "gift_voucher", "automatic", "4191"), ("Crédit client", "customer_credit", "automatic", "411"),
]

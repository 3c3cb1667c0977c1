"""Money as readers see it: one place decides how a price is written."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
CENT = Decimal("0.01")


def price_string(amount):
    """The plain decimal schema.org and feeds expect: "24.00", never "24" or "$24.00"."""
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def format_price(amount, currency=None):
    """ "$24.00" for currencies with a well-known symbol, "CHF 24.00" for the others."""
    currency = (currency or settings.SHOP_CURRENCY).upper()
    number = f"{Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP):,}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency} {number}"

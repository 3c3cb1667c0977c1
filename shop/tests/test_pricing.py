from decimal import Decimal

import pytest
from django.template import Context, Template

from shop.pricing import format_price, price_string


@pytest.mark.parametrize(
    ("currency", "expected"),
    [("USD", "$24.00"), ("EUR", "€24.00"), ("GBP", "£24.00"), ("usd", "$24.00"), ("CHF", "CHF 24.00")],
)
def test_prices_show_the_symbol_of_well_known_currencies_and_the_code_otherwise(currency, expected):
    assert format_price(Decimal("24"), currency) == expected


def test_prices_always_show_cents_and_group_thousands():
    assert format_price(Decimal("1250.5"), "USD") == "$1,250.50"
    assert format_price(Decimal("0.01"), "USD") == "$0.01"


def test_structured_data_prices_are_plain_decimals_with_two_places():
    assert price_string(Decimal("24")) == "24.00"
    assert price_string(Decimal("19.5")) == "19.50"
    assert price_string(Decimal("1250.00")) == "1250.00"


def test_the_price_filter_uses_the_shop_currency_setting(settings):
    template = Template("{% load shop_tags %}{{ amount|price }}")
    settings.SHOP_CURRENCY = "GBP"
    assert template.render(Context({"amount": Decimal("9.99")})) == "£9.99"
    settings.SHOP_CURRENCY = "CAD"
    assert template.render(Context({"amount": Decimal("9.99")})) == "CAD 9.99"


def test_the_price_filter_prints_nothing_for_a_missing_price():
    assert Template("{% load shop_tags %}{{ amount|price }}").render(Context({"amount": None})) == ""


@pytest.mark.parametrize(
    ("phone", "expected"), [("(555) 010-2030", "5550102030"), ("+1 555 010 2030", "+15550102030"), ("", "")]
)
def test_phone_numbers_become_dialable_tel_links(phone, expected):
    assert Template("{% load shop_tags %}{{ phone|tel_href }}").render(Context({"phone": phone})) == expected

from django import template

from core.structured_data import json_ld
from shop.pricing import format_price
from shop.widget import widget_html

register = template.Library()


@register.filter
def price(amount):
    """`{{ product.price|price }}` → "$24.00" in the shop's currency."""
    if amount in (None, ""):
        return ""
    return format_price(amount)


register.filter("json_ld", json_ld)


@register.simple_tag
def shop_widget():
    """The "Pain Cream Shop" sidebar box, the same for every reader: rendered once per product
    change (shop.widget)."""
    return widget_html()


@register.filter
def tel_href(phone):
    """A phone number as a `tel:` link wants it: digits and a leading plus only."""
    phone = str(phone or "").strip()
    digits = "".join(character for character in phone if character.isdigit())
    return f"+{digits}" if phone.startswith("+") else digits

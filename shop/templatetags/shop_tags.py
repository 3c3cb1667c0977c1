from django import template

from core.structured_data import json_ld
from shop.models import Product
from shop.pricing import format_price

register = template.Library()


@register.filter
def price(amount):
    """`{{ product.price|price }}` → "$24.00" in the shop's currency."""
    if amount in (None, ""):
        return ""
    return format_price(amount)


register.filter("json_ld", json_ld)


@register.inclusion_tag("shop/product_widget.html")
def shop_widget():
    """The "Pain Cream Shop" sidebar box: one query, the same for every reader (cache-friendly)."""
    return {"widget_products": list(Product.objects.for_widget())}


@register.filter
def tel_href(phone):
    """A phone number as a `tel:` link wants it: digits and a leading plus only."""
    phone = str(phone or "").strip()
    digits = "".join(character for character in phone if character.isdigit())
    return f"+{digits}" if phone.startswith("+") else digits

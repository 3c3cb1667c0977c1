from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.tests.factories import make_image_file
from shop.models import Product
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db


def unsaved_product(**fields):
    defaults = {"name": "Gel", "slug": "gel", "short_description": "A gel.", "price": Decimal("10.00")}
    return Product(**{**defaults, **fields})


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("0.00"), Decimal("-5.00")])
def test_a_price_of_zero_or_less_is_refused_with_a_message_at_the_price(price):
    with pytest.raises(ValidationError) as error:
        unsaved_product(price=price).full_clean()
    assert "price" in error.value.message_dict


@pytest.mark.parametrize("sale_price", [Decimal("10.00"), Decimal("12.00")])
def test_a_sale_price_not_below_the_price_is_refused_with_a_message_at_the_sale_price(sale_price):
    with pytest.raises(ValidationError) as error:
        unsaved_product(sale_price=sale_price).full_clean()
    assert error.value.message_dict["sale_price"] == ["The sale price must be lower than the price, or left empty."]


def test_a_sale_price_below_the_price_is_accepted():
    unsaved_product(sale_price=Decimal("7.50")).full_clean()


def test_the_database_refuses_a_zero_price_even_without_form_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_product(price=Decimal("0.00"))


def test_the_database_refuses_a_sale_price_at_or_above_the_price():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_product(price=Decimal("10.00"), sale_price=Decimal("10.00"))


def test_on_sale_the_buyer_pays_the_sale_price():
    product = make_product(price=Decimal("24.00"), sale_price=Decimal("19.50"))
    assert product.on_sale
    assert product.current_price == Decimal("19.50")


def test_without_a_sale_price_the_buyer_pays_the_price():
    product = make_product(price=Decimal("24.00"))
    assert not product.on_sale
    assert product.current_price == Decimal("24.00")


def test_an_image_needs_a_description_for_readers_who_cannot_see_it():
    with pytest.raises(ValidationError) as error:
        unsaved_product(image=make_image_file(), image_alt="  ").full_clean()
    assert "image_alt" in error.value.message_dict


def test_a_file_that_is_not_an_image_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cream.jpg", b"<?php echo 'hello'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        unsaved_product(image=upload, image_alt="A tube").full_clean()
    assert "image" in error.value.message_dict


def test_saving_an_image_makes_webp_renditions_for_srcset():
    product = make_product(with_image=True)
    picture = product.picture
    assert picture
    widths = [rendition["width"] for rendition in picture.renditions]
    assert widths[0] == 480
    assert len(widths) >= 2
    assert max(widths) <= 900
    assert "480w" in picture.srcset
    assert picture.src.endswith(".webp")
    assert picture.alt == product.image_alt
    assert product.thumbnail.alt == ""


def test_the_description_is_stored_as_sanitised_html():
    product = make_product(description="**Gentle** <script>alert(1)</script> [shop](javascript:alert(1))")
    assert "<strong>Gentle</strong>" in product.description_html
    assert "<script" not in product.description_html
    assert "javascript:" not in product.description_html


def test_the_queryset_hides_inactive_products():
    shown = make_product()
    make_product(is_active=False)
    assert list(Product.objects.active()) == [shown]


def test_the_widget_takes_three_featured_in_stock_active_products_by_position():
    expected = [make_product(featured=True, position=position) for position in (3, 1, 2)]
    make_product(featured=True, position=4)  # a fourth does not fit
    make_product(featured=True, position=0, in_stock=False)
    make_product(featured=True, position=0, is_active=False)
    make_product(featured=False, position=0)
    assert list(Product.objects.for_widget()) == sorted(expected, key=lambda product: product.position)

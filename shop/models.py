from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.images import ImageRenditions, refresh_renditions, validate_image
from core.richtext import render_markdown
from core.uploads import SafeImageField
from shop.pricing import price_string

MINIMUM_PRICE = Decimal("0.01")
WIDGET_SIZE = 3


class ProductQuerySet(models.QuerySet):
    def active(self):
        """The one visibility rule: the list, the widget, the sitemap and the product page use it."""
        return self.filter(is_active=True)

    def for_listing(self):
        """What the list and the widget show: active products without the long description."""
        return self.active().defer("description", "description_html")

    def for_widget(self):
        """The sidebar's few featured products that can be bought today, in one query."""
        return self.for_listing().filter(featured=True, in_stock=True).order_by("position", "name")[:WIDGET_SIZE]


class Product(models.Model):
    """A pain cream the clinic sells; buying happens on the clinic's shop or at the front desk."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    short_description = models.CharField(
        max_length=200, help_text=_("One or two sentences for the product list and search engines.")
    )
    description = models.TextField(
        blank=True,
        help_text=_(
            "Use the toolbar, or type: ## Heading, **bold**, *italic*, - list item, "
            "1. numbered item, > quote, [link text](https://…)."
        ),
    )
    description_html = models.TextField(editable=False, blank=True)
    image = SafeImageField(upload_to="products/", blank=True, validators=[validate_image])
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("Describe the image for readers who cannot see it."),
    )
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    price = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(MINIMUM_PRICE)])
    sale_price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(MINIMUM_PRICE)],
        help_text=_("Leave empty when the product is not on sale. Must be lower than the price."),
    )
    size_label = models.CharField(_("size"), max_length=60, blank=True, help_text=_('For example "4 oz tube".'))
    in_stock = models.BooleanField(default=True)
    buy_url = models.URLField(
        _("buy link"),
        blank=True,
        help_text=_("The product's page on the clinic's online shop. Empty: readers are asked to ask at the clinic."),
    )
    buy_button_text = models.CharField(max_length=40, default="Buy now")
    featured = models.BooleanField(default=False, help_text=_("Shown in the sidebar while in stock."))
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Lower numbers come first."))
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive products are hidden."))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["is_active", "featured", "in_stock", "position"], name="product_widget_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=Q(sale_price__isnull=True) | (Q(sale_price__gt=0) & Q(sale_price__lt=models.F("price"))),
                name="product_sale_price_below_price",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.description_html, _toc = render_markdown(self.description)
        refresh_renditions(self, "image", "image_renditions")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("shop:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = _("Please describe the image for readers who cannot see it.")
        if self.sale_price is not None and self.price is not None and self.sale_price >= self.price:
            errors["sale_price"] = _("The sale price must be lower than the price, or left empty.")
        if errors:
            raise ValidationError(errors)

    @property
    def picture(self):
        return ImageRenditions(self.image, self.image_renditions, self.image_alt)

    @property
    def thumbnail(self):
        """The image without alt text, for lists where the product's name sits right beside it."""
        return ImageRenditions(self.image, self.image_renditions, "")

    @property
    def on_sale(self):
        return self.sale_price is not None and self.sale_price < self.price

    @property
    def current_price(self):
        """What a buyer pays today."""
        return self.sale_price if self.on_sale else self.price

    @property
    def availability_url(self):
        return "https://schema.org/InStock" if self.in_stock else "https://schema.org/OutOfStock"

    def structured_data(self, absolute_uri):
        """schema.org `Product` with its `Offer`, a product snippet (the sale is on another site).

        `absolute_uri` turns a path into a full URL, usually `request.build_absolute_uri`.
        """
        data = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": self.name,
            "description": self.short_description,
            "url": absolute_uri(self.get_absolute_url()),
            "offers": {
                "@type": "Offer",
                "price": price_string(self.current_price),
                "priceCurrency": settings.SHOP_CURRENCY,
                "availability": self.availability_url,
                "url": self.buy_url or absolute_uri(self.get_absolute_url()),
            },
        }
        if self.picture:
            data["image"] = [absolute_uri(self.picture.src)]
        if self.size_label:
            data["size"] = self.size_label
        return data

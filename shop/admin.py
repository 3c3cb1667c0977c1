from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin_uploads import UploadErrorsAdminMixin
from core.images import CheckedImageFormField
from revisions.admin import RevisionAdminMixin
from shop.models import Product


@admin.register(Product)
class ProductAdmin(RevisionAdminMixin, UploadErrorsAdminMixin, admin.ModelAdmin):
    """Editors keep prices, stock and the sidebar up to date from the list itself; every save is
    kept as a revision that can be compared and reverted to."""

    list_display = ["name", "price", "sale_price", "size_label", "in_stock", "featured", "position", "is_active"]
    list_display_links = ["name"]
    list_editable = ["price", "sale_price", "in_stock", "featured", "position"]
    list_filter = ["is_active", "in_stock", "featured"]
    search_fields = ["name", "short_description", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created", "updated"]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.ImageField: {"form_class": CheckedImageFormField},
    }
    fieldsets = [
        (None, {"fields": ["name", "slug", "short_description", "description"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Price and stock"), {"fields": ["price", "sale_price", "size_label", "in_stock"]}),
        (_("Buying"), {"fields": ["buy_url", "buy_button_text"]}),
        (_("Showing it"), {"fields": ["is_active", "featured", "position", "created", "updated"]}),
    ]

    class Media:
        css = {"all": ["admin/editor.css"]}
        js = ["admin/markdown-toolbar.js"]

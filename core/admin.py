from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["clinic_name", "tagline"]}),
        ("Contact", {"fields": ["contact_email", "contact_phone", "address"]}),
        ("Community", {"fields": ["community_url", "community_text"]}),
        ("Disclaimers", {"fields": ["medical_disclaimer", "product_disclaimer"]}),
        ("Moderation", {"fields": ["moderator_emails", "disallowed_words"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is one row: the list page goes straight to it."""
        SiteSettings.load()
        return redirect(reverse("admin:core_sitesettings_change", args=[1]))

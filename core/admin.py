from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from core.models import OutgoingEmail, SiteSettings
from core.outbox import outgoing_emails_retry


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


NOT_RETRIED_BEING_SENT = ngettext_lazy(
    "%(count)d email was not retried: it is being sent right now.",
    "%(count)d emails were not retried: they are being sent right now.",
    "count",
)
NOT_RETRIED_SENT = ngettext_lazy(
    "%(count)d email was not retried: it was sent already.",
    "%(count)d emails were not retried: they were sent already.",
    "count",
)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What became of each email: sent, waiting for its next attempt, or failed with the error."""

    list_display = ["subject", "recipients", "status", "attempts", "created_at", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["subject", "key", "message_id"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("to"))
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.action(description=_("Retry the selected emails now"), permissions=["change"])
    def retry(self, request, queryset):
        retried = outgoing_emails_retry(queryset)
        if retried.queued or not (retried.being_sent or retried.sent):
            count = retried.queued
            self.message_user(
                request, ngettext("%d email queued again.", "%d emails queued again.", count) % count, messages.SUCCESS
            )
        for count, text in ((retried.being_sent, NOT_RETRIED_BEING_SENT), (retried.sent, NOT_RETRIED_SENT)):
            if count:
                self.message_user(request, text % {"count": count}, messages.WARNING)

    def has_add_permission(self, request):
        return False

"""What every reader-submission admin shares: why an item was held, its age, privacy actions.

Nothing is registered here; comments and topic suggestions build their admins on the mixin.
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, get_text_list
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from submissions.models import HoldReason
from submissions.privacy import personal_data_erase, personal_data_export


class HoldReasonFilter(admin.SimpleListFilter):
    title = _("reason held")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return HoldReason.choices

    def queryset(self, request, queryset):
        if self.value() in HoldReason.values:
            # JSON text match works alike on SQLite and PostgreSQL (`contains` on JSON does not).
            return queryset.filter(hold_reasons__icontains=f'"{self.value()}"')
        return queryset


def shortened(text, length):
    """A list cell that fits its column: the text cut to `length` characters, in full on hover."""
    text = " ".join(str(text or "").split())
    short = Truncator(text).chars(length)
    if short == text:
        return text
    return format_html('<span title="{}">{}</span>', text[:1000], short)


def personal_data_response(request, email):
    """A subject-access export: everything one email sent, as JSON."""
    data = personal_data_export(email, absolute_url=request.build_absolute_uri)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="personal-data-export.json"'
    response["Cache-Control"] = "no-store"
    return response


def status_action(status, description, done, *, eligible=None):
    """An admin action moving the selected items to `status` through the admin's workflow.

    `done` says what happened to them ("published"), reported as Django's own delete action
    does: "2 comments published."; `eligible(queryset)` narrows the selection to the items the
    action may move.
    """

    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        selected = eligible(queryset) if eligible else queryset
        changed = model_admin.status_workflow(queryset=selected, status=status, by=request.user, request=request)
        items = model_ngettext(model_admin.opts, changed)
        message = _("%(count)d %(items)s %(done)s.") % {"count": changed, "items": items, "done": done}
        model_admin.message_user(request, message, messages.SUCCESS)

    return action


# The signals behind a submission's status, shown together so a moderator sees why it was held.
WHY_HELD_FIELDSET = (
    _("Why it was held"),
    {"fields": ["reasons", "captcha_score", "captcha_action", "captcha_hostname_ok", "user_agent"]},
)


class SubmissionAdminMixin:
    """Readers send these, so staff never add them; removal keeps the record, erasure is explicit.

    What the reader sent (`readonly_fields`, declared by each admin) and the moderation record
    kept beside it are read-only: staff change only the status and their own fields.
    """

    privacy_actions = ["export_by_email", "erase_by_email"]
    one_email_message = _("Please select items from one email address only.")
    moderation_record_fields = [*WHY_HELD_FIELDSET[1]["fields"], "created", "moderated_by", "moderated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.moderation_record_fields]

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("reasons"))
    def reasons(self, submission):
        return ", ".join(submission.hold_reason_labels) or "—"

    @admin.display(description=_("why held"))
    def reasons_short(self, submission):
        """The list's column: the first reason, how many more, all of them on hover."""
        labels = submission.hold_reason_labels
        if not labels:
            return "—"
        first = Truncator(labels[0]).chars(28)
        if len(labels) == 1 and first == labels[0]:
            return first
        more = f" +{len(labels) - 1}" if len(labels) > 1 else ""
        return format_html('<span title="{}">{}{}</span>', ", ".join(labels), first, more)

    @admin.display(description=_("age"), ordering="created")
    def age(self, submission):
        return timesince(submission.created, timezone.now(), depth=1)

    def status_workflow(self, *, queryset, status, by, request):
        raise NotImplementedError

    def _one_email(self, request, queryset):
        emails = {email.lower() for email in queryset.values_list(self.model.EMAIL_FIELD, flat=True)}
        if len(emails) != 1 or "" in emails:
            self.message_user(request, self.one_email_message, messages.WARNING)
            return None
        return emails.pop()

    @admin.action(description=_("Export everything this email sent (JSON)"), permissions=["view"])
    def export_by_email(self, request, queryset):
        email = self._one_email(request, queryset)
        return None if email is None else personal_data_response(request, email)

    @admin.action(description=_("Erase everything this email sent"), permissions=["delete"])
    def erase_by_email(self, request, queryset):
        email = self._one_email(request, queryset)
        if email is None:
            return
        erased = personal_data_erase(email)
        counts = [
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model, count in erased.items()
        ]
        self.message_user(
            request,
            _("Erased for this email: %(counts)s.") % {"counts": get_text_list(counts, _("and"))},
            messages.SUCCESS,
        )

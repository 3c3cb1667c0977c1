from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models import Comment, CommentReport
from comments.moderation import comment_redact, comment_reply, comments_set_status
from core.admin_filters import SplitFilter
from submissions.admin import WHY_HELD_FIELDSET, HoldReasonFilter, SubmissionAdminMixin, shortened, status_action
from submissions.personal_details import describe, find_personal_details

Status = Comment.Status


class CommentAdminForm(forms.ModelForm):
    clinic_reply = forms.CharField(
        label=_("Reply as the clinic"),
        required=False,
        max_length=Comment.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Published at once under this comment with a “Clinic team” badge. Saving also publishes the comment."
        ),
    )

    clinic_reply_confirmed = forms.BooleanField(
        label=_("Publish the reply even though it seems to contain personal details"),
        required=False,
        help_text=_("For the clinic's own public phone number or address, say."),
    )
    redact_personal_details = forms.BooleanField(
        label=_("Remove personal details"),
        required=False,
        help_text=_("Nothing that looks like personal details was found in this comment."),
    )

    class Meta:
        model = Comment
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        found = self.instance.personal_details if self.instance.pk else []
        if found:
            self.fields["redact_personal_details"].help_text = _(
                "This comment seems to contain %(found)s. Each one is replaced with “[removed]” before the "
                "status is saved; the change is logged."
            ) % {"found": describe(found)}

    def clean(self):
        cleaned = super().clean()
        found = find_personal_details(cleaned.get("clinic_reply", ""))
        if found and not cleaned.get("clinic_reply_confirmed"):
            self.add_error(
                "clinic_reply",
                _(
                    "This reply seems to contain %(found)s, and everyone can read it. Remove it, or tick "
                    "“Publish the reply even though…” if it is the clinic's own public detail."
                )
                % {"found": describe(found)},
            )
        return cleaned


class ReportedFilter(SplitFilter):
    title = _("reported by readers")
    parameter_name = "reported"
    options = [("yes", _("Reported")), ("no", _("Not reported"))]

    def matching(self, queryset):
        return queryset.filter(pk__in=CommentReport.objects.values("comment_id"))


class CommentReportInline(admin.TabularInline):
    """What readers said about the comment; kept as they sent it."""

    model = CommentReport
    fields = ["reason", "text", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(SubmissionAdminMixin, admin.ModelAdmin):
    """The moderation queue: held comments first, oldest first, so nothing waits forever."""

    form = CommentAdminForm
    # Six short columns fit a 1280 px screen beside the filters; the full text is on hover and
    # on the comment's own page.
    list_display = ["comment_excerpt", "article_title", "status", "score", "reasons_short", "reports_short", "age"]
    list_display_links = ["comment_excerpt"]
    list_filter = [
        "status",
        HoldReasonFilter,
        ReportedFilter,
        "is_staff_reply",
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body"]
    actions = [
        "approve",
        "mark_spam",
        "mark_not_spam",
        "remove",
        "redact_personal_details",
        "export_by_email",
        "erase_by_email",
    ]
    readonly_fields = [
        "article_link",
        "parent",
        "name",
        "email",
        "body",
        "is_staff_reply",
        "notify_me",
        "first_published_at",
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "parent", "name", "email", "body", "redact_personal_details", "status"]}),
        (_("Reply"), {"fields": ["clinic_reply", "clinic_reply_confirmed"]}),
        WHY_HELD_FIELDSET,
        (
            _("History"),
            {
                "fields": [
                    "created",
                    "first_published_at",
                    "moderated_by",
                    "moderated_at",
                    "is_staff_reply",
                    "notify_me",
                ]
            },
        ),
    ]

    inlines = [CommentReportInline]

    one_email_message = _("Please select comments from one email address only.")

    def status_workflow(self, *, queryset, status, by, request):
        return comments_set_status(comments=queryset, status=status, by=by, request=request)

    def get_ordering(self, request):
        waiting_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
        return [waiting_first.asc(), "created", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("reports")

    @admin.display(description=_("reports"))
    def reports_short(self, comment):
        """How many readers reported the comment, and why (from the prefetched reports: one query a page)."""
        reports = list(comment.reports.all())
        if not reports:
            return "—"
        labels = dict(CommentReport.Reason.choices)
        reasons = Counter(report.reason for report in reports)
        why = ", ".join(
            f"{labels.get(reason, reason)}{f' ×{count}' if count > 1 else ''}"
            for reason, count in reasons.most_common()
        )
        count = ngettext("%(count)d report", "%(count)d reports", len(reports)) % {"count": len(reports)}
        # The count in the column, the reasons on hover and in the filter (a 1280 px screen fits).
        return format_html('<span title="{}">{}</span>', why, count)

    @admin.display(description=_("comment"))
    def comment_excerpt(self, comment):
        return shortened(comment.body, 60)

    @admin.display(description=_("article"), ordering="article__title")
    def article_title(self, comment):
        return shortened(comment.article.title, 32)

    @admin.display(description=_("score"), ordering="captcha_score")
    def score(self, comment):
        return "—" if comment.captcha_score is None else f"{comment.captcha_score:.1f}"

    @admin.display(description=_("article"))
    def article_link(self, comment):
        return comment.article.title

    def redact(self, request, comment):
        """Remove the comment's personal details and log what went; returns whether any did."""
        found = comment_redact(comment=comment, by=request.user)
        if found:
            message = _("Removed personal details: %(found)s.") % {"found": describe(found)}
            self.log_change(request, comment, message)
        return bool(found)

    @admin.action(description=_("Remove personal details (replaced with “[removed]”)"), permissions=["change"])
    def redact_personal_details(self, request, queryset):
        redacted = sum(self.redact(request, comment) for comment in queryset.select_related("article"))
        items = model_ngettext(self.opts, redacted)
        self.message_user(request, _("%(count)d %(items)s redacted.") % {"count": redacted, "items": items})

    def save_model(self, request, obj, form, change):
        """Status changes and replies go through the same functions as the bulk actions; details
        are removed first, so a comment is never public with them."""
        if change and form.cleaned_data.get("redact_personal_details"):
            self.redact(request, Comment.objects.select_related("article").get(pk=obj.pk))
        new_status = form.cleaned_data.get("status")
        if change and "status" in form.changed_data:
            comments_set_status(
                comments=Comment.objects.filter(pk=obj.pk), status=new_status, by=request.user, request=request
            )
        reply = form.cleaned_data.get("clinic_reply", "").strip()
        if reply:
            obj.refresh_from_db()
            comment_reply(comment=obj, body=reply, by=request.user, request=request)
            self.message_user(request, _("Your reply is published under the comment."), messages.SUCCESS)

    approve = status_action(Status.APPROVED, _("Approve (publish) the selected comments"), _("published"))
    mark_spam = status_action(Status.SPAM, _("Mark as spam"), _("marked as spam"))
    mark_not_spam = status_action(
        Status.PENDING,
        _("Not spam: back to the moderation queue"),
        _("moved back to the queue"),
        eligible=lambda comments: comments.filter(status=Status.SPAM),
    )
    remove = status_action(Status.REMOVED, _("Remove from the site (kept for the record)"), _("removed"))

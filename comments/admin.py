from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from comments.moderation import comment_reply, comments_set_status
from submissions.admin import WHY_HELD_FIELDSET, HoldReasonFilter, SubmissionAdminMixin, shortened, status_action

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

    class Meta:
        model = Comment
        fields = ["status"]


@admin.register(Comment)
class CommentAdmin(SubmissionAdminMixin, admin.ModelAdmin):
    """The moderation queue: held comments first, oldest first, so nothing waits forever."""

    form = CommentAdminForm
    # Six short columns fit a 1280 px screen beside the filters; the full text is on hover and
    # on the comment's own page.
    list_display = ["comment_excerpt", "article_title", "status", "score", "reasons_short", "age"]
    list_display_links = ["comment_excerpt"]
    list_filter = ["status", HoldReasonFilter, "is_staff_reply", ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body"]
    actions = ["approve", "mark_spam", "mark_not_spam", "remove", "export_by_email", "erase_by_email"]
    readonly_fields = ["article_link", "parent", "name", "email", "body", "is_staff_reply", "notify_me"]
    fieldsets = [
        (None, {"fields": ["article_link", "parent", "name", "email", "body", "status"]}),
        (_("Reply"), {"fields": ["clinic_reply"]}),
        WHY_HELD_FIELDSET,
        (_("History"), {"fields": ["created", "moderated_by", "moderated_at", "is_staff_reply", "notify_me"]}),
    ]

    one_email_message = _("Please select comments from one email address only.")

    def status_workflow(self, *, queryset, status, by, request):
        return comments_set_status(comments=queryset, status=status, by=by, request=request)

    def get_ordering(self, request):
        waiting_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
        return [waiting_first.asc(), "created", "id"]

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

    def save_model(self, request, obj, form, change):
        """Status changes and replies go through the same functions as the bulk actions."""
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

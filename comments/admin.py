import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin
from comments.models import Comment, HoldReason, TopicSuggestion
from comments.moderation import comment_reply, comments_set_status
from comments.privacy import personal_data_erase, personal_data_export
from comments.topics import suggestion_publish, suggestions_merge, suggestions_set_status

Status = Comment.Status


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


def personal_data_response(request, email):
    """A subject-access export: every comment and topic suggestion of one email, as JSON."""
    data = personal_data_export(email, absolute_url=request.build_absolute_uri)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="personal-data-export.json"'
    return response


def erase_personal_data(model_admin, request, email):
    comments, suggestions = personal_data_erase(email)
    model_admin.message_user(
        request,
        _("Erased for this email: %(comments)s and %(suggestions)s.")
        % {
            "comments": ngettext("%d comment", "%d comments", comments) % comments,
            "suggestions": ngettext("%d topic suggestion", "%d topic suggestions", suggestions) % suggestions,
        },
        messages.SUCCESS,
    )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: held comments first, oldest first, so nothing waits forever."""

    form = CommentAdminForm
    list_display = ["excerpt", "article", "name", "status", "score", "reasons", "age"]
    list_display_links = ["excerpt"]
    list_filter = ["status", HoldReasonFilter, "is_staff_reply", ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body"]
    actions = ["approve", "mark_spam", "mark_not_spam", "remove", "export_by_email", "erase_by_email"]
    readonly_fields = [
        "article_link",
        "parent",
        "name",
        "email",
        "body",
        "is_staff_reply",
        "notify_me",
        "reasons",
        "captcha_score",
        "captcha_action",
        "captcha_hostname_ok",
        "user_agent",
        "created",
        "moderated_by",
        "moderated_at",
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "parent", "name", "email", "body", "status"]}),
        (_("Reply"), {"fields": ["clinic_reply"]}),
        (
            _("Why it was held"),
            {"fields": ["reasons", "captcha_score", "captcha_action", "captcha_hostname_ok", "user_agent"]},
        ),
        (_("History"), {"fields": ["created", "moderated_by", "moderated_at", "is_staff_reply", "notify_me"]}),
    ]

    def get_ordering(self, request):
        waiting_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
        return [waiting_first.asc(), "created", "id"]

    def has_add_permission(self, request):
        return False  # comments come from readers; the clinic answers with "Reply as the clinic"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "remove" keeps the record; erasure has its own action
        return actions

    @admin.display(description=_("score"), ordering="captcha_score")
    def score(self, comment):
        return "—" if comment.captcha_score is None else f"{comment.captcha_score:.1f}"

    @admin.display(description=_("reasons"))
    def reasons(self, comment):
        return ", ".join(comment.hold_reason_labels) or "—"

    @admin.display(description=_("age"), ordering="created")
    def age(self, comment):
        return timesince(comment.created, timezone.now())

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

    def _set_status(self, request, queryset, status, done_message):
        changed = comments_set_status(comments=queryset, status=status, by=request.user, request=request)
        self.message_user(request, done_message(changed) % changed, messages.SUCCESS)

    @admin.action(description=_("Approve (publish) the selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._set_status(
            request, queryset, Status.APPROVED, lambda n: ngettext("%d comment published.", "%d comments published.", n)
        )

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Status.SPAM,
            lambda n: ngettext("%d comment marked as spam.", "%d comments marked as spam.", n),
        )

    @admin.action(description=_("Not spam: back to the review queue"), permissions=["change"])
    def mark_not_spam(self, request, queryset):
        self._set_status(
            request,
            queryset.filter(status=Status.SPAM),
            Status.PENDING,
            lambda n: ngettext("%d comment moved back to the queue.", "%d comments moved back to the queue.", n),
        )

    @admin.action(description=_("Remove from the site (kept for the record)"), permissions=["change"])
    def remove(self, request, queryset):
        self._set_status(
            request, queryset, Status.REMOVED, lambda n: ngettext("%d comment removed.", "%d comments removed.", n)
        )

    def _one_email(self, request, queryset):
        emails = {email.lower() for email in queryset.values_list("email", flat=True)}
        if len(emails) != 1:
            self.message_user(request, _("Please select comments from one email address only."), messages.WARNING)
            return None
        return emails.pop()

    @admin.action(
        description=_("Export everything this email sent: comments and suggestions (JSON)"), permissions=["view"]
    )
    def export_by_email(self, request, queryset):
        email = self._one_email(request, queryset)
        return None if email is None else personal_data_response(request, email)

    @admin.action(description=_("Erase everything this email sent: comments and suggestions"), permissions=["delete"])
    def erase_by_email(self, request, queryset):
        email = self._one_email(request, queryset)
        if email is not None:
            erase_personal_data(self, request, email)


# --- Topic suggestions (issue 4): the pipeline -------------------------------------------

TopicStatus = TopicSuggestion.Status
# When duplicates merge, the one furthest along the pipeline survives (then most votes, then oldest).
MERGE_PREFERENCE = [
    TopicStatus.PUBLISHED,
    TopicStatus.PLANNED,
    TopicStatus.UNDER_REVIEW,
    TopicStatus.NEW,
    TopicStatus.DECLINED,
    TopicStatus.SPAM,
]


class TopicSuggestionAdminForm(forms.ModelForm):
    class Meta:
        model = TopicSuggestion
        fields = ["topic", "details", "status", "article", "staff_note"]

    def clean(self):
        """An answering article goes with the published status, and it must be live when chosen."""
        cleaned = super().clean()
        article = cleaned.get("article")
        published = cleaned.get("status") == TopicStatus.PUBLISHED
        if "article" in self.changed_data and article is not None and not article.is_live:
            self.add_error("article", _("This article is not live yet. Please link it once readers can open it."))
        elif article is None and published:
            self.add_error("article", _("Please choose the article that answers this suggestion to publish it."))
        elif article is not None and not published and "article" not in self.changed_data:
            self.add_error("article", _("To move a published suggestion back, please clear its answering article too."))
        return cleaned


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(admin.ModelAdmin):
    """The suggestion pipeline: new ones first, then those under review, most wanted first."""

    form = TopicSuggestionAdminForm
    list_display = ["topic", "status", "votes", "age", "reasons", "article", "merged_into"]
    list_filter = ["status", HoldReasonFilter, "notify_when_published"]
    list_select_related = ["article", "merged_into"]
    search_fields = ["topic", "details", "name", "email"]
    autocomplete_fields = ["article"]
    actions = [
        "mark_under_review",
        "plan",
        "decline",
        "mark_spam",
        "merge_duplicates",
        "export_by_email",
        "erase_by_email",
    ]
    readonly_fields = [
        "name",
        "email",
        "notify_when_published",
        "votes",
        "merged_into",
        "reasons",
        "captcha_score",
        "captcha_action",
        "captcha_hostname_ok",
        "user_agent",
        "created",
        "activity_at",
        "moderated_by",
        "moderated_at",
    ]
    fieldsets = [
        (None, {"fields": ["topic", "details", "status", "article", "staff_note"]}),
        (_("From the reader"), {"fields": ["name", "email", "notify_when_published", "votes", "merged_into"]}),
        (
            _("Why it was held"),
            {"fields": ["reasons", "captcha_score", "captcha_action", "captcha_hostname_ok", "user_agent"]},
        ),
        (_("History"), {"fields": ["created", "activity_at", "moderated_by", "moderated_at"]}),
    ]

    def get_ordering(self, request):
        queue = Case(
            When(status=TopicStatus.NEW, then=Value(0)),
            When(status=TopicStatus.UNDER_REVIEW, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [queue.asc(), "-votes", "created", "id"]

    def has_add_permission(self, request):
        return False  # suggestions come from readers

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # decline or mark as spam instead; erasure has its own action
        return actions

    @admin.display(description=_("reasons"))
    def reasons(self, suggestion):
        return ", ".join(suggestion.hold_reason_labels) or "—"

    @admin.display(description=_("age"), ordering="created")
    def age(self, suggestion):
        return timesince(suggestion.created, timezone.now())

    def save_model(self, request, obj, form, change):
        """Wording and notes save as typed; decisions go through comments.topics, as the actions do."""
        plain = [name for name in ("topic", "details", "staff_note") if name in form.changed_data]
        article = form.cleaned_data.get("article")
        if article is None and "article" in form.changed_data:
            plain.append("article")
        if plain:
            obj.save(update_fields=plain)
        if article is not None and {"article", "status"} & set(form.changed_data):
            sent = suggestion_publish(suggestion=obj, article=article, by=request.user, request=request)
            self.message_user(
                request,
                ngettext(
                    "Published. %d reader who asked for it will get an email.",
                    "Published. %d readers who asked for it will get an email.",
                    sent,
                )
                % sent,
                messages.SUCCESS,
            )
        elif "status" in form.changed_data:
            suggestions_set_status(
                suggestions=TopicSuggestion.objects.filter(pk=obj.pk),
                status=form.cleaned_data["status"],
                by=request.user,
            )

    def _set_status(self, request, queryset, status, done_message):
        changed = suggestions_set_status(suggestions=queryset, status=status, by=request.user)
        self.message_user(request, done_message(changed) % changed, messages.SUCCESS)

    @admin.action(description=_("Mark as under review"), permissions=["change"])
    def mark_under_review(self, request, queryset):
        self._set_status(
            request,
            queryset.exclude(status=TopicStatus.PUBLISHED),
            TopicStatus.UNDER_REVIEW,
            lambda n: ngettext("%d suggestion is under review.", "%d suggestions are under review.", n),
        )

    @admin.action(description=_("Plan (show on the public board)"), permissions=["change"])
    def plan(self, request, queryset):
        self._set_status(
            request,
            queryset.exclude(status=TopicStatus.PUBLISHED).filter(merged_into__isnull=True),
            TopicStatus.PLANNED,
            lambda n: ngettext("%d suggestion planned.", "%d suggestions planned.", n),
        )

    @admin.action(description=_("Decline"), permissions=["change"])
    def decline(self, request, queryset):
        self._set_status(
            request,
            queryset.exclude(status=TopicStatus.PUBLISHED),
            TopicStatus.DECLINED,
            lambda n: ngettext("%d suggestion declined.", "%d suggestions declined.", n),
        )

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(
            request,
            queryset.exclude(status=TopicStatus.PUBLISHED),
            TopicStatus.SPAM,
            lambda n: ngettext("%d suggestion marked as spam.", "%d suggestions marked as spam.", n),
        )

    @admin.action(description=_("Merge duplicates into one (keeps every vote and reader)"), permissions=["change"])
    def merge_duplicates(self, request, queryset):
        chosen = list(queryset.filter(merged_into__isnull=True))
        if len(chosen) < 2:
            self.message_user(
                request, _("Please select at least two suggestions that are not merged already."), messages.WARNING
            )
            return
        survivor = min(chosen, key=lambda s: (MERGE_PREFERENCE.index(s.status), -s.votes, s.created, s.pk))
        merged = suggestions_merge(survivor=survivor, duplicates=chosen, by=request.user, request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d suggestion merged into “%(topic)s”.",
                "%(count)d suggestions merged into “%(topic)s”.",
                merged,
            )
            % {"count": merged, "topic": survivor.topic},
            messages.SUCCESS,
        )

    def _one_email(self, request, queryset):
        emails = {email.lower() for email in queryset.values_list("email", flat=True)}
        if len(emails) != 1 or "" in emails:
            self.message_user(request, _("Please select suggestions from one email address only."), messages.WARNING)
            return None
        return emails.pop()

    @admin.action(
        description=_("Export everything this email sent: comments and suggestions (JSON)"), permissions=["view"]
    )
    def export_by_email(self, request, queryset):
        email = self._one_email(request, queryset)
        return None if email is None else personal_data_response(request, email)

    @admin.action(description=_("Erase everything this email sent: comments and suggestions"), permissions=["delete"])
    def erase_by_email(self, request, queryset):
        email = self._one_email(request, queryset)
        if email is not None:
            erase_personal_data(self, request, email)


class AnsweredSuggestionInline(admin.TabularInline):
    """On the article's admin page: the reader suggestions this article answers (read-only)."""

    model = TopicSuggestion
    fk_name = "article"
    fields = ["topic", "status", "votes", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("topic suggestion this article answers")
    verbose_name_plural = _("topic suggestions this article answers")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Editors see which topics readers asked for (no names or emails are listed here).
        return super().has_view_permission(request, obj) or request.user.has_perm("articles.view_article")


ArticleAdmin.inlines = [*ArticleAdmin.inlines, AnsweredSuggestionInline]

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin
from core.admin_widgets import NamedAutocompleteSelect
from submissions.admin import WHY_HELD_FIELDSET, HoldReasonFilter, SubmissionAdminMixin, shortened, status_action
from submissions.personal_details import describe, find_personal_details
from topics.models import TopicSuggestion
from topics.moderation import suggestion_publish, suggestions_merge, suggestions_set_status

TopicStatus = TopicSuggestion.Status


def not_published(suggestions):
    """A published suggestion has its article: no admin action takes it back."""
    return suggestions.exclude(status=TopicStatus.PUBLISHED)


def plannable(suggestions):
    """What the Plan action may put on the board: neither published already nor merged away."""
    return not_published(suggestions).filter(merged_into__isnull=True)


PERSONAL_DETAILS_IN_TOPIC = _(
    "This topic seems to contain %(found)s, and the public board would show it. Please reword the topic "
    "without it before planning or publishing."
)


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
        """An answering article goes with the published status, and it must be live when chosen; a
        topic on the board (planned or published) shows no personal details."""
        cleaned = super().clean()
        article = cleaned.get("article")
        published = cleaned.get("status") == TopicStatus.PUBLISHED
        on_board = article is not None or cleaned.get("status") in (TopicStatus.PLANNED, TopicStatus.PUBLISHED)
        found = find_personal_details(cleaned.get("topic", ""))
        if on_board and found:
            self.add_error("topic", PERSONAL_DETAILS_IN_TOPIC % {"found": describe(found)})
        if "article" in self.changed_data and article is not None and not article.is_live:
            self.add_error("article", _("This article is not live yet. Please link it once readers can open it."))
        elif article is None and published:
            self.add_error("article", _("Please choose the article that answers this suggestion to publish it."))
        elif article is not None and not published and "article" not in self.changed_data:
            self.add_error("article", _("To move a published suggestion back, please clear its answering article too."))
        return cleaned


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(SubmissionAdminMixin, admin.ModelAdmin):
    """The suggestion pipeline: new ones first, then those under review, most wanted first."""

    class Media:
        js = ["admin/autocomplete-names.js"]

    form = TopicSuggestionAdminForm
    # Short columns that fit a 1280 px screen beside the filters; a merged duplicate says so in
    # its status column, and the full texts are on hover and on the suggestion's own page.
    list_display = ["topic_short", "status_shown", "votes", "reasons_short", "age", "article_title"]
    list_display_links = ["topic_short"]
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
    readonly_fields = ["name", "email", "notify_when_published", "votes", "merged_into", "activity_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    fieldsets = [
        (None, {"fields": ["topic", "details", "status", "article", "staff_note"]}),
        (_("From the reader"), {"fields": ["name", "email", "notify_when_published", "votes", "merged_into"]}),
        WHY_HELD_FIELDSET,
        (_("History"), {"fields": ["created", "activity_at", "moderated_by", "moderated_at"]}),
    ]

    one_email_message = _("Please select suggestions from one email address only.")

    def status_workflow(self, *, queryset, status, by, request):
        return suggestions_set_status(suggestions=queryset, status=status, by=by)

    @admin.display(description=_("topic"), ordering="topic")
    def topic_short(self, suggestion):
        return shortened(suggestion.topic, 60)

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, suggestion):
        if suggestion.merged_into_id:
            return shortened(_("Merged into “%(topic)s”") % {"topic": suggestion.merged_into.topic}, 32)
        return suggestion.get_status_display()

    @admin.display(description=_("article"), ordering="article__title")
    def article_title(self, suggestion):
        return shortened(suggestion.article.title, 32) if suggestion.article_id else "—"

    def get_ordering(self, request):
        queue = Case(
            When(status=TopicStatus.NEW, then=Value(0)),
            When(status=TopicStatus.UNDER_REVIEW, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [queue.asc(), "-votes", "created", "id"]

    def save_model(self, request, obj, form, change):
        """Wording and notes save as typed; decisions go through topics.moderation, as the actions do."""
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

    mark_under_review = status_action(
        TopicStatus.UNDER_REVIEW, _("Mark as under review"), _("under review"), eligible=not_published
    )
    plan_selected = status_action(
        TopicStatus.PLANNED, _("Plan (show on the public board)"), _("planned"), eligible=plannable
    )

    @admin.action(description=_("Plan (show on the public board)"), permissions=["change"])
    def plan(self, request, queryset):
        """Plans the selection; topics with personal details stay off the board (topics.moderation),
        and the moderator is told to reword them."""
        private = [suggestion for suggestion in plannable(queryset) if suggestion.personal_details]
        self.plan_selected(request, queryset)
        if private:
            found = describe([finding for suggestion in private for finding in suggestion.personal_details])
            message = ngettext(
                "%(count)d topic suggestion was not planned: its topic seems to contain %(found)s. "
                "Please reword it first.",
                "%(count)d topic suggestions were not planned: their topics seem to contain %(found)s. "
                "Please reword them first.",
                len(private),
            ) % {"count": len(private), "found": found}
            self.message_user(request, message, messages.ERROR)

    decline = status_action(TopicStatus.DECLINED, _("Decline"), _("declined"), eligible=not_published)
    mark_spam = status_action(TopicStatus.SPAM, _("Mark as spam"), _("marked as spam"), eligible=not_published)

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


# The article's admin page lists the suggestions it answers; articles knows nothing of topics.
ArticleAdmin.register_inline(AnsweredSuggestionInline)

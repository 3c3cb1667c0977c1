import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import pagecache
from articles import review
from articles.models import Article, ArticleImage, Category, Clinician, ReviewDecision, SlugRedirect
from articles.views import render_article
from core.admin_uploads import UploadErrorsAdminMixin
from core.images import CheckedImageFormField, narrower_than
from revisions import revision_create
from revisions.admin import RevisionAdminMixin
from revisions.diff import changed_fields
from revisions.models import Revision

TITLE_CHARACTERS = 60


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", gettext_lazy("Review overdue")), ("current", gettext_lazy("Review current"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "current":
            return queryset.exclude(pk__in=queryset.review_overdue().values("pk"))
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Clinician)
class ClinicianAdmin(UploadErrorsAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageFormField}}
    list_display = ["name", "credentials", "role"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "credentials", "role"]
    raw_id_fields = ["user"]


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with its own accessible name (the admin prints
    "Date:" and "Time:" as plain text, which labels neither box)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = gettext_lazy("Date")
        self.widgets[1].attrs["aria-label"] = gettext_lazy("Time")


class NamedAutocompleteSelect(AutocompleteSelect):
    """The admin's search-as-you-type box, showing (and named by) "Choose the author" while
    empty, where the admin leaves an empty placeholder that gives the box no name at all."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = _("Choose the %(role)s") % {"role": self.field.verbose_name}
        return attrs


class LabelledInlineFormSet(BaseInlineFormSet):
    """Each box of a table row is named after its column, as a screen reader needs."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            label = gettext_lazy("Delete") if name == "DELETE" else field.label
            field.widget.attrs.setdefault("aria-label", label)


class SlugRedirectInline(admin.TabularInline):
    model = SlugRedirect
    formset = LabelledInlineFormSet
    extra = 0
    fields = ["old_slug", "created"]
    readonly_fields = ["created"]
    verbose_name = gettext_lazy("earlier address")
    verbose_name_plural = gettext_lazy("earlier addresses (they redirect here)")


class ArticleImageInline(admin.StackedInline):
    """Images shown inside the text: upload here, then place each with the toolbar's image list."""

    model = ArticleImage
    extra = 0
    fields = ["image", "alt", "caption", "placement"]
    readonly_fields = ["placement"]
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageFormField}}

    @admin.display(description=gettext_lazy("in the text"))
    def placement(self, image):
        if not image.pk:
            return _("Save the article, then place the image with the toolbar's “Insert image” list.")
        warning = narrower_than(image.renditions, ArticleImage.SHOWN_WIDTH)
        return format_html(
            "{} <code>{}</code>{}",
            _("Shown where the text has the line"),
            image.marker,
            format_html('<br><strong class="errornote-inline">{}</strong>', warning) if warning else "",
        )


HERO_SHOWN_WIDTH = 1200


class PublishForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label=gettext_lazy("Publish at"),
        required=False,
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
        help_text=gettext_lazy("Leave empty to publish now."),
    )


@admin.register(Article)
class ArticleAdmin(RevisionAdminMixin, UploadErrorsAdminMixin, admin.ModelAdmin):
    """Edits of a published article are kept as draft revisions; the row (what readers see)
    changes only when an approved revision is published (articles/review.py)."""

    formfield_overrides = {models.ImageField: {"form_class": CheckedImageFormField}}
    list_display = ["short_title", "category", "state", "reviewer_name", "review_due"]
    list_display_links = ["short_title"]
    list_filter = ["status", "category", ReviewOverdueFilter]
    list_select_related = ["category", "reviewer"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "reviewer"]
    date_hierarchy = "publish_at"
    actions = ["publish", "unpublish"]
    inlines = [ArticleImageInline, SlugRedirectInline]
    change_form_template = "admin/articles/article/change_form.html"
    # Inlines other apps show on the article page (the suggestions it answers, say), added by
    # them in AppConfig.ready(): this app never imports the apps that decorate its pages.
    registered_inlines = []
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (gettext_lazy("Image"), {"fields": ["hero_image", "hero_alt"]}),
        (gettext_lazy("People"), {"fields": ["author", "reviewer"]}),
        (gettext_lazy("Publishing"), {"fields": ["status", "publish_at", "comments_open"]}),
        (gettext_lazy("Search engines"), {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["admin/editor.css", "admin/revisions.css"]}
        js = ["admin/markdown-toolbar.js", "admin/autocomplete-names.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "publish_at":
            kwargs["widget"] = LabelledSplitDateTime()
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @classmethod
    def register_inline(cls, inline):
        if inline not in cls.registered_inlines:
            cls.registered_inlines.append(inline)

    def get_inlines(self, request, obj):
        return [*self.inlines, *self.registered_inlines]

    def get_form(self, request, obj=None, **kwargs):
        """The body's toolbar lists the article's images, so an editor places one without typing its id."""
        form = super().get_form(request, obj, **kwargs)
        if "body" in form.base_fields:
            images = [{"marker": image.marker, "alt": image.alt} for image in obj.images.all()] if obj else []
            form.base_fields["body"].widget.attrs["data-images"] = json.dumps(images)
        return form

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ArticleImage:
            for image in formset.new_objects + [changed for changed, _fields in formset.changed_objects]:
                self._warn_if_narrow(request, image.renditions, ArticleImage.SHOWN_WIDTH, image.alt)

    def _warn_if_narrow(self, request, info, width, name):
        warning = narrower_than(info, width)
        if warning:
            self.message_user(request, f"{name}: {warning}", messages.WARNING)

    # --- The list ------------------------------------------------------------------------------------

    def get_queryset(self, request):
        content_type = ContentType.objects.get_for_model(Article)
        newest = Revision.objects.filter(content_type=content_type, object_id=OuterRef("pk")).order_by("-number")
        last_step = ReviewDecision.objects.filter(article=OuterRef("pk"), revision=OuterRef("newest_revision"))
        return (
            super()
            .get_queryset(request)
            .annotate(newest_revision=Subquery(newest.values("pk")[:1]))
            .annotate(
                last_step=Subquery(
                    last_step.exclude(action=ReviewDecision.Action.PUBLISHED)
                    .order_by("-created", "-id")
                    .values("action")[:1]
                )
            )
        )

    @admin.display(description=gettext_lazy("Title"), ordering="title")
    def short_title(self, article):
        short = Truncator(article.title).chars(TITLE_CHARACTERS)
        return format_html('<span title="{}">{}</span>', article.title, short) if short != article.title else short

    @admin.display(description=gettext_lazy("Reviewer"), ordering="reviewer__name")
    def reviewer_name(self, article):
        return article.reviewer.name if article.reviewer else "—"

    @admin.display(description=gettext_lazy("Review due"), ordering="review_due_on")
    def review_due(self, article):
        return date_format(article.review_due_on, "j M Y") if article.review_due_on else "—"

    @admin.display(description=gettext_lazy("State"), ordering="status")
    def state(self, article):
        newest = getattr(article, "newest_revision", None)
        unpublished = newest is not None and newest != article.live_revision_id
        steps = {
            ReviewDecision.Action.SUBMITTED: review.State.IN_REVIEW,
            ReviewDecision.Action.CHANGES_REQUESTED: review.State.CHANGES_REQUESTED,
            ReviewDecision.Action.APPROVED: review.State.APPROVED,
            ReviewDecision.Action.SCHEDULED: review.State.SCHEDULED,
        }
        draft_state = steps.get(getattr(article, "last_step", None), review.State.DRAFT)
        label = review.article_label(article, unpublished=unpublished, draft_state=draft_state)
        if unpublished and draft_state != review.State.DRAFT:
            label = f"{label} ({review.State.labels[draft_state].lower()})"
        return label

    # --- The form ------------------------------------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        """A published article opens with its newest draft in the form, never the older live text."""
        article = super().get_object(request, object_id, from_field)
        return review.draft_of(article) if article is not None else None

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status"]
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            readonly.append("publish_at")
        return readonly

    def save_model(self, request, obj, form, change):
        self._save_article(request, obj, form, change)
        self._warn_if_narrow(request, obj.hero_renditions, HERO_SHOWN_WIDTH, _("The main image"))

    def _save_article(self, request, obj, form, change):
        note = form.cleaned_data.get("revision_message", "")
        live = Article.objects.filter(pk=obj.pk).first() if change else None
        if live is None or live.status != Article.Status.PUBLISHED:
            if live is not None:
                review.ensure_revision(live)  # what the row held before this first kept save
            super(RevisionAdminMixin, self).save_model(request, obj, form, change)
            revision_create(obj=obj, user=request.user, message=note)
            return
        with transaction.atomic():
            review.article_save_draft(article=obj, user=request.user, message=note)
            if live.comments_open != obj.comments_open:
                live.comments_open = obj.comments_open  # not medical content: it applies at once
                live.save(update_fields=["comments_open", "updated"])
        messages.info(
            request,
            _(
                "Your changes are saved as a draft. Readers keep seeing the live version until the "
                "changes are medically approved and published."
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if article is not None and self.works_on_review(request):
            extra.update(self.review_context(request, article))
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def review_context(self, request, article):
        status = review.review_status(article)
        return {
            "review_status": status,
            "review_url": reverse("admin:articles_article_review", args=[article.pk]),
            "preview_url": reverse("admin:articles_article_preview", args=[article.pk]),
            "history_url": reverse("admin:articles_article_revisions", args=[article.pk]),
            "compare_url": reverse("admin:articles_article_compare", args=[article.pk]),
        }

    def revision_marks(self, obj, history):
        marks = {obj.live_revision_id: _("Live")} if obj.live_revision_id else {}
        for decision in obj.review_decisions.filter(action=ReviewDecision.Action.APPROVED):
            marks.setdefault(decision.revision_id, _("Approved"))
        return marks

    def revert_to(self, request, obj, revision):
        """On a published article a revert is a new draft like any edit; it never reaches the row."""
        if obj.status != Article.Status.PUBLISHED:
            return super().revert_to(request, obj, revision)
        review.ensure_revision(obj)
        return self.keep_revert(request, obj, revision)

    # --- Review, preview and publishing ------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/review/", view(self.review_view), name="articles_article_review"),
            path("<path:object_id>/preview/", view(self.preview_view), name="articles_article_preview"),
            *super().get_urls(),
        ]

    def _article(self, request, object_id):
        article = (
            Article.objects.select_related("live_revision", "live_approval__clinician").filter(pk=object_id).first()
        )
        if article is None:
            raise Http404(_("This article no longer exists."))
        if not self.works_on_review(request):
            raise PermissionDenied
        return article

    def works_on_review(self, request):
        """Editors and medical reviewers; staff who may only look at articles (moderators) see none of it."""
        return review.may_edit(request.user) or review.may_review(request.user)

    def revision_object(self, request, object_id, *, change=False):
        if not self.works_on_review(request):
            raise PermissionDenied
        return super().revision_object(request, object_id, change=change)

    def review_view(self, request, object_id):
        """The article's review screen: what changed since the live version, the decisions so far,
        and the buttons this person may use. Every button posts; this page itself changes nothing."""
        article = self._article(request, object_id)
        if request.method == "POST":
            return self._review_step(request, article)
        status = review.review_status(article)
        base = article.live_revision if status.has_unpublished_changes else None
        changes = changed_fields(Article, base.content, status.latest.content) if base and status.latest else []
        refusal = status.latest and review.approval_refusal(request.user, article, status.latest)
        context = {
            **self.admin_site.each_context(request),
            **self.review_context(request, article),
            "opts": self.opts,
            "original": article,
            "title": _("Medical review of “%(title)s”")
            % {"title": status.latest.content.get("title") if status.latest else article.title},
            "changes": changes,
            "base": base,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "can_submit": review.may_edit(request.user)
            and status.state in (review.State.DRAFT, review.State.CHANGES_REQUESTED),
            "can_decide": status.state == review.State.IN_REVIEW and not refusal,
            "decide_refusal": refusal
            if status.state == review.State.IN_REVIEW and review.may_review(request.user)
            else "",
            "can_publish": review.may_publish(request.user) and not review.publish_refusal(article, status),
            "publish_refusal": review.publish_refusal(article, status) if review.may_publish(request.user) else "",
            "publish_form": PublishForm(),
            "allow_minor_edits_setting": review.settings.ARTICLES_ALLOW_MINOR_EDITS,
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def _review_step(self, request, article):
        step = request.POST.get("step")
        comment = request.POST.get("comment", "").strip()[:2000]
        back = HttpResponseRedirect(reverse("admin:articles_article_review", args=[article.pk]))
        revision = Revision.objects.for_object(article).filter(pk=request.POST.get("revision") or None).first()
        try:
            with transaction.atomic():
                if step == "submit":
                    review.review_submit(article=article, user=request.user, comment=comment)
                    done = _("Submitted for medical review. The reviewer has been told.")
                elif step in ("approve", "request_changes") and revision is None:
                    raise review.ReviewError(_("Please choose the version you reviewed."))
                elif step == "approve":
                    review.review_approve(
                        article=article,
                        revision=revision,
                        user=request.user,
                        comment=comment,
                        allow_minor_edits=request.POST.get("allow_minor_edits") == "on",
                    )
                    done = _("Approved. The editors have been told.")
                elif step == "request_changes":
                    review.review_request_changes(
                        article=article, revision=revision, user=request.user, comment=comment
                    )
                    done = _("Changes requested. The editors have been told.")
                elif step == "publish":
                    form = PublishForm(request.POST)
                    if not form.is_valid():
                        raise review.ReviewError(_("Please give a valid date and time, or leave both empty."))
                    decision = review.article_publish(
                        article=article, user=request.user, publish_at=form.cleaned_data["publish_at"]
                    )
                    if decision.action == ReviewDecision.Action.SCHEDULED or decision.publish_at > timezone.now():
                        done = _("Scheduled: it goes live on %(when)s.") % {"when": review._when(decision.publish_at)}
                    else:
                        done = _("Published. Readers see the new version now.")
                else:
                    raise review.ReviewError(_("Please use one of the buttons."))
        except review.ReviewError as error:
            messages.error(request, str(error))
            return back
        messages.success(request, done)
        return back

    def preview_view(self, request, object_id):
        """The newest draft on the public page design, for staff only and never stored anywhere."""
        article = self._article(request, object_id)
        status = review.review_status(article)
        article = Article.objects.for_page().get(pk=article.pk)
        draft = review.draft_of(article)
        # The credit the draft would carry: its own approval, none yet, or the live one if unchanged.
        draft.live_approval = status.approval if status.state != review.State.LIVE else article.live_approval
        if draft.category_id != getattr(draft.category, "pk", None):
            draft.category = Category.objects.get(pk=draft.category_id)
        for name in ("author", "reviewer"):
            related_id = getattr(draft, f"{name}_id")
            if related_id and getattr(getattr(draft, name, None), "pk", None) != related_id:
                setattr(draft, name, Clinician.objects.get(pk=related_id))
        pagecache.skip_storing(request)
        response = render_article(
            request,
            draft,
            extra_context={"preview": True, "preview_label": status.label, "preview_state": status.state},
        )
        response.headers["Cache-Control"] = "private, no-store"  # the admin adds its own no-cache directives
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    # --- Bulk actions --------------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Publish the selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        published, refused = 0, []
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            try:
                with transaction.atomic():
                    review.article_publish(article=article, user=request.user, publish_at=article.publish_at)
            except review.ReviewError:
                refused.append(article.title)
                continue
            published += 1
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", published) % published,
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                _("Not published, as they are not medically approved yet: %(titles)s") % {"titles": ", ".join(refused)},
                messages.ERROR,
            )

    def has_publish_permission(self, request):
        return review.may_publish(request.user)

    @admin.action(description=gettext_lazy("Unpublish the selected articles (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        updated = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            updated += 1
        self.message_user(
            request,
            ngettext("%d article moved back to draft.", "%d articles moved back to draft.", updated) % updated,
            messages.SUCCESS,
        )

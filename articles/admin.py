"""The article admin: categories, clinicians and articles, and the editing of articles.

Editing a live article keeps a draft revision (`articles.review`); the review screens, the preview
and publishing come from `MedicalReviewAdminMixin` (`articles.review_admin`).
"""

import json

from django.contrib import admin, messages
from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import review
from articles.models import Article, ArticleImage, Category, Clinician, SearchSynonym, SlugRedirect
from articles.review_admin import MedicalReviewAdminMixin
from core.admin_uploads import UploadErrorsAdminMixin
from core.admin_widgets import LabelledInlineFormSet, LabelledSplitDateTime, NamedAutocompleteSelect
from core.images import CheckedImageFormField, narrower_than
from revisions import revision_create
from revisions.admin import RevisionAdminMixin

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


@admin.register(Article)
class ArticleAdmin(MedicalReviewAdminMixin, RevisionAdminMixin, UploadErrorsAdminMixin, admin.ModelAdmin):
    """Edits of a published article are kept as draft revisions; the row (what readers see)
    changes only when an approved revision is published (articles/review.py). The actions
    are "publish" (from the mixin) and "unpublish"."""

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

    def revert_to(self, request, obj, revision):
        """On a published article a revert is a new draft like any edit; it never reaches the row."""
        if obj.status != Article.Status.PUBLISHED:
            return super().revert_to(request, obj, revision)
        review.ensure_revision(obj)
        return self.keep_revert(request, obj, revision)

    # --- Bulk actions --------------------------------------------------------------------------------

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


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "synonyms"]
    search_fields = ["term", "synonyms"]

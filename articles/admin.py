"""The article admin: categories, clinicians and articles, and the editing of articles.

Editing a live article keeps a draft revision (`articles.review`); the review screens, the preview
and publishing come from `MedicalReviewAdminMixin` (`articles.review_admin`).
"""

import json

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import review
from articles.models import Article, ArticleImage, Category, Clinician, SearchSynonym, SlugRedirect
from articles.review_admin import MedicalReviewAdminMixin, PublicationFilter
from articles.text import unix_line_ends
from core.admin_filters import SplitFilter
from core.admin_uploads import UploadErrorsAdminMixin
from core.admin_widgets import LabelledInlineFormSet, LabelledSplitDateTime, NamedAutocompleteSelect
from core.images import CheckedImageFormField, narrower_than
from revisions import revision_create
from revisions.admin import RevisionAdminMixin, RevisionNoteForm

TITLE_CHARACTERS = 60


class ReviewOverdueFilter(SplitFilter):
    title = gettext_lazy("medical review")
    parameter_name = "review"
    options = [("overdue", gettext_lazy("Review overdue")), ("current", gettext_lazy("Review current"))]

    def matching(self, queryset):
        return queryset.review_overdue()


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

    def get_readonly_fields(self, request, obj=None):
        """The login decides who may approve as this clinician, so only those trusted with it set it;
        a read-only field is left out of the form, so a forged POST cannot set it either. Once a login
        is linked, the name and credentials are what readers see credited for its approvals, so the
        same people keep them."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not review.may_link_login(request.user):
            readonly.append("user")
            if obj is not None and obj.user_id is not None:
                readonly += ["name", "credentials"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        """The address follows the name only while the name can be typed here."""
        if "name" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)


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


def reviewer_must_approve():
    """Unless any medical reviewer may approve, the named one is the only one who can."""
    return not settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE


class ArticleForm(RevisionNoteForm):
    def clean_summary(self):
        return unix_line_ends(self.cleaned_data.get("summary"))

    def clean_body(self):
        return unix_line_ends(self.cleaned_data.get("body"))

    def clean_reviewer(self):
        """A newly named reviewer must be able to approve; one named earlier is warned about at the
        field instead, so a change to the text is never blocked by a field nobody touched."""
        reviewer = self.cleaned_data.get("reviewer")
        if reviewer is not None and "reviewer" in self.changed_data and reviewer_must_approve():
            refusal = review.reviewer_refusal(reviewer)
            if refusal:
                raise ValidationError(refusal)
        return reviewer


@admin.register(Article)
class ArticleAdmin(MedicalReviewAdminMixin, RevisionAdminMixin, UploadErrorsAdminMixin, admin.ModelAdmin):
    """Edits of a published article are kept as draft revisions; the row (what readers see)
    changes only when an approved revision is published (articles/review.py). The actions
    are "publish" (from the mixin) and "unpublish"."""

    form = ArticleForm
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageFormField}}
    list_display = ["short_title", "category", "state", "reviewer_name", "review_due"]
    list_display_links = ["short_title"]
    list_filter = [PublicationFilter, "category", ReviewOverdueFilter]
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
        own = self.inlines if self.works_on_review(request) else [SlugRedirectInline]
        return [*own, *self.registered_inlines]

    def get_form(self, request, obj=None, **kwargs):
        """The body's toolbar lists the article's images, so an editor places one without typing its id;
        the reviewer field warns when the named reviewer could never approve."""
        form = super().get_form(request, obj, **kwargs)
        if "body" in form.base_fields:
            images = [{"marker": image.marker, "alt": image.alt} for image in obj.images.all()] if obj else []
            form.base_fields["body"].widget.attrs["data-images"] = json.dumps(images)
        refusal = obj and obj.reviewer_id and reviewer_must_approve() and review.reviewer_refusal(obj.reviewer)
        if refusal and "reviewer" in form.base_fields:
            warning = format_html('<strong class="errornote-inline">{}</strong>', refusal)
            form.base_fields["reviewer"].help_text = warning
        return form

    def get_queryset(self, request):
        """Staff who may only look at articles (moderators) see them as readers do: live ones only."""
        articles = super().get_queryset(request)
        return articles if self.works_on_review(request) else articles.published()

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
        if article is None or not self.works_on_review(request):
            return article  # the live row: staff outside the review never see a draft
        return review.draft_of(article)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status"]
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            readonly.append("publish_at")
        return readonly

    def save_model(self, request, obj, form, change):
        self._save_article(request, obj, form, change)
        self._warn_if_narrow(request, obj.hero_renditions, HERO_SHOWN_WIDTH, _("The main image"))

    def _save_article(self, request, obj, form, change):
        """Save the row of an unpublished article; a published one's row keeps the live content.
        The revision is kept in `save_related`, once the images in the text are saved too."""
        live = Article.objects.filter(pk=obj.pk).first() if change else None
        if live is not None:
            review.ensure_revision(live)  # what the row held before this first kept save
        if live is None or live.status != Article.Status.PUBLISHED:
            super(RevisionAdminMixin, self).save_model(request, obj, form, change)
            return
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

    def save_related(self, request, form, formsets, change):
        """The images in the text are the editor's working copy: each save keeps them, with the
        article's fields, as one revision (a draft on a published article, never its live page)."""
        super().save_related(request, form, formsets, change)
        note = form.cleaned_data.get("revision_message", "")
        revision_create(obj=form.instance, user=request.user, message=note)

    def revert_to(self, request, obj, revision):
        """On a published article a revert is a new draft like any edit; it never reaches the row.
        Either way the images in the text go back to the old revision's, as the form shows them."""
        review.ensure_revision(obj)
        review.article_images_restore(article=obj, content=revision.content)
        if obj.status != Article.Status.PUBLISHED:
            return super().revert_to(request, obj, revision)
        return self.keep_revert(request, obj, revision)

    # --- Bulk actions --------------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Unpublish the selected articles (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        updated = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            review.article_unpublish(article=article)
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

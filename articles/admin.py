import json

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article, ArticleImage, Category, Clinician, SlugRedirect
from core.admin_uploads import UploadErrorsAdminMixin
from core.images import CheckedImageFormField, narrower_than


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue")), ("current", _("Review current"))]

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


class SlugRedirectInline(admin.TabularInline):
    model = SlugRedirect
    extra = 0
    fields = ["old_slug", "created"]
    readonly_fields = ["created"]
    verbose_name = _("earlier address")
    verbose_name_plural = _("earlier addresses (they redirect here)")


class ArticleImageInline(admin.StackedInline):
    """Images shown inside the text: upload here, then place each with the toolbar's image list."""

    model = ArticleImage
    extra = 0
    fields = ["image", "alt", "caption", "placement"]
    readonly_fields = ["placement"]
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageFormField}}

    @admin.display(description=_("in the text"))
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
class ArticleAdmin(UploadErrorsAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageFormField}}
    list_display = ["title", "category", "status", "publish_at", "author", "reviewer", "review_due_on"]
    list_filter = ["status", "category", ReviewOverdueFilter]
    list_select_related = ["category", "author", "reviewer"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "reviewer"]
    date_hierarchy = "publish_at"
    actions = ["publish", "unpublish"]
    inlines = [ArticleImageInline, SlugRedirectInline]
    # Inlines other apps show on the article page (the suggestions it answers, say), added by
    # them in AppConfig.ready(): this app never imports the apps that decorate its pages.
    registered_inlines = []
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (_("Image"), {"fields": ["hero_image", "hero_alt"]}),
        (_("People and review"), {"fields": ["author", "reviewer", "reviewed_on"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "comments_open"]}),
        (_("Search engines"), {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["admin/editor.css"]}
        js = ["admin/markdown-toolbar.js"]

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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._warn_if_narrow(request, obj.hero_renditions, HERO_SHOWN_WIDTH, _("The main image"))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ArticleImage:
            for image in formset.new_objects + [changed for changed, _fields in formset.changed_objects]:
                self._warn_if_narrow(request, image.renditions, ArticleImage.SHOWN_WIDTH, image.alt)

    def _warn_if_narrow(self, request, info, width, name):
        warning = narrower_than(info, width)
        if warning:
            self.message_user(request, f"{name}: {warning}", messages.WARNING)

    @admin.action(description=_("Publish the selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        updated = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            if article.publish_at is None:
                article.publish_at = timezone.now()
            article.save()
            updated += 1
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", updated) % updated,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected articles (back to draft)"), permissions=["change"])
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

"""Versions, comparison and revert for any registered model's admin: add `RevisionAdminMixin`.

The list of kept revisions is called "Versions" on every screen, so it is never taken for Django's
own "History" (the log of admin actions) beside it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revisions.content import apply_content, revision_create
from revisions.diff import changed_fields
from revisions.models import Revision


class RevisionNoteForm(forms.ModelForm):
    revision_message = forms.CharField(
        label=gettext_lazy("Note about this change"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional: what you changed and why, for the history."),
    )


NOTE_FIELDSET = (gettext_lazy("Note about this change"), {"fields": ["revision_message"]})


class RevisionAdminMixin:
    """Each admin save keeps a revision; adds a list of versions, a compare page and a revert."""

    form = RevisionNoteForm
    change_form_template = "admin/revisions/change_form.html"

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), NOTE_FIELDSET]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.record_revision(request, obj, form)

    def record_revision(self, request, obj, form, content=None):
        return revision_create(
            obj=obj, user=request.user, message=form.cleaned_data.get("revision_message", ""), content=content
        )

    def _url_name(self, action):
        return f"{self.opts.app_label}_{self.opts.model_name}_{action}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/revisions/", view(self.revisions_view), name=self._url_name("revisions")),
            path("<path:object_id>/revisions/compare/", view(self.compare_view), name=self._url_name("compare")),
            path(
                "<path:object_id>/revisions/<int:number>/revert/",
                view(self.revert_view),
                name=self._url_name("revert"),
            ),
            *super().get_urls(),
        ]

    def revision_object(self, request, object_id, *, change=False):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(_("This item no longer exists."))
        allowed = (
            self.has_change_permission(request, obj) if change else self.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def revision_context(self, request, obj, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "original": obj,
            "has_change_permission": self.has_change_permission(request, obj),
            "revisions_url": reverse(f"admin:{self._url_name('revisions')}", args=[obj.pk]),
            "compare_url": reverse(f"admin:{self._url_name('compare')}", args=[obj.pk]),
            "change_url": reverse(f"admin:{self._url_name('change')}", args=[obj.pk]),
            **extra,
        }

    def revisions_view(self, request, object_id):
        obj = self.revision_object(request, object_id)
        history = list(
            Revision.objects.for_object(obj)
            .select_related("created_by")
            .annotate(reverted_from_number=F("reverted_from__number"))
        )
        marks = self.revision_marks(obj, history)
        for revision in history:
            revision.mark = marks.get(revision.pk, "")
        context = self.revision_context(
            request, obj, title=_("Versions of “%(name)s”") % {"name": obj}, revisions=history
        )
        return TemplateResponse(request, "admin/revisions/revision_list.html", context)

    def revision_marks(self, obj, history):
        """Short labels by revision id (“Live”, say); apps with a workflow add theirs."""
        return {}

    def compare_view(self, request, object_id):
        obj = self.revision_object(request, object_id)
        history = Revision.objects.for_object(obj)
        try:
            older = get_object_or_404(history, number=int(request.GET.get("from", "")))
            newer = get_object_or_404(history, number=int(request.GET.get("to", "")))
        except ValueError:
            raise Http404(_("Please choose two revisions to compare.")) from None
        if older.number > newer.number:
            older, newer = newer, older
        context = self.revision_context(
            request,
            obj,
            title=_("Changes from revision %(old)s to revision %(new)s") % {"old": older.number, "new": newer.number},
            older=older,
            newer=newer,
            changes=changed_fields(type(obj), older.content, newer.content),
        )
        return TemplateResponse(request, "admin/revisions/revision_compare.html", context)

    def revert_view(self, request, object_id, number):
        obj = self.revision_object(request, object_id, change=True)
        revision = get_object_or_404(Revision.objects.for_object(obj), number=number)
        if request.method == "POST":
            created = self.revert_to(request, obj, revision)
            messages.success(
                request,
                _("Revision %(new)s now holds the content of revision %(old)s.")
                % {"new": created.number, "old": revision.number},
            )
            return HttpResponseRedirect(reverse(f"admin:{self._url_name('revisions')}", args=[obj.pk]))
        latest = Revision.objects.for_object(obj).first()
        context = self.revision_context(
            request,
            obj,
            title=_("Revert to revision %(number)s?") % {"number": revision.number},
            revision=revision,
            changes=changed_fields(type(obj), latest.content, revision.content) if latest else [],
        )
        return TemplateResponse(request, "admin/revisions/revision_revert.html", context)

    def revert_to(self, request, obj, revision):
        """Put the old content back on the object and keep it as a new revision."""
        apply_content(obj, revision.content)
        obj.save()
        return self.keep_revert(request, obj, revision)

    def keep_revert(self, request, obj, revision):
        """The new revision that records a revert: never skipped, even when nothing changed."""
        return revision_create(
            obj=obj,
            user=request.user,
            message=_("Reverted to revision %(number)s") % {"number": revision.number},
            content=revision.content,
            reverted_from=revision,
            skip_unchanged=False,
        )

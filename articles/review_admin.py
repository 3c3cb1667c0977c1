"""The medical review screens of the article admin: add `MedicalReviewAdminMixin`.

The review screen (what changed, the decisions so far, the buttons this person may use), the
staff preview of the newest draft, the publish action and the review state in the list. Every
decision is taken by the workflow in `articles.review`; these screens only ask it and show it.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import pagecache
from articles import review
from articles.models import Article, Category, Clinician, ReviewDecision, person_name
from articles.review import ReviewError, ReviewState
from articles.views import render_article
from core.images import is_stored_name
from revisions.diff import changed_fields
from revisions.models import Revision


class PublishForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label=gettext_lazy("Publish at"),
        required=False,
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
        help_text=gettext_lazy("Leave empty to publish now."),
    )


# --- The steps the review screen's buttons post ---------------------------------------------------------
# Each takes the request, the article, the revision the form names (or None) and the comment, and
# returns what to tell the person; a `ReviewError` is shown instead.


def _reviewed(revision):
    if revision is None:
        raise ReviewError(_("Please choose the version you reviewed."))
    return revision


def _submit(request, article, revision, comment):
    submission = review.review_submit(article=article, user=request.user, comment=comment)
    return submitted_message(submission, named_reviewer=not settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE)


def submitted_message(submission, *, named_reviewer):
    """Tell the editor who was really asked: "the reviewer has been told" only when an email to
    them was queued, and otherwise each person by name, so no one waits for an email never sent."""
    told = sorted(person_name(user) for user in submission.told)
    untold = sorted(person_name(user) for user in submission.untold)
    if named_reviewer and told and not untold:
        return _("Submitted for medical review. The reviewer has been told.")
    parts = [_("Submitted for medical review.")]
    if told:
        parts.append(_("Told by email: %(names)s.") % {"names": ", ".join(told)})
    if untold:
        parts.append(
            ngettext(
                "%(names)s has no email address, so please tell them yourself.",
                "%(names)s have no email address, so please tell them yourself.",
                len(untold),
            )
            % {"names": ", ".join(untold)}
        )
    return " ".join(parts)


def _approve(request, article, revision, comment):
    review.review_approve(
        article=article,
        revision=_reviewed(revision),
        user=request.user,
        comment=comment,
        allow_minor_edits=request.POST.get("allow_minor_edits") == "on",
    )
    return _("Approved. The editors have been told.")


def _request_changes(request, article, revision, comment):
    review.review_request_changes(article=article, revision=_reviewed(revision), user=request.user, comment=comment)
    return _("Changes requested. The editors have been told.")


def _publish(request, article, revision, comment):
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise ReviewError(_("Please give a valid date and time, or leave both empty."))
    decision = review.article_publish(article=article, user=request.user, publish_at=form.cleaned_data["publish_at"])
    if decision.action == ReviewDecision.Action.SCHEDULED or decision.publish_at > timezone.now():
        return _("Scheduled: it goes live on %(when)s.") % {"when": review.local_time_text(decision.publish_at)}
    return _("Published. Readers see the new version now.")


def preview_renditions(field_file):
    """A draft's new main image as the preview draws it: its renditions are made only when the draft
    goes live, so the preview shows the stored file itself at the size readers' largest rendition
    will have. Only a file the server re-encoded and named is shown (never an upload stored as it
    came by an earlier version); the result is kept in memory, never saved on the row."""
    if not is_stored_name(field_file.name):
        return {}
    try:
        width, height = field_file.width, field_file.height
    except (OSError, ValueError):
        return {}
    widest = max(settings.IMAGE_RENDITION_WIDTHS)
    if width > widest:
        width, height = widest, round(height * widest / width)
    shown = {"name": field_file.name, "width": width, "height": height}
    return {"source": field_file.name, "width": field_file.width, "height": field_file.height, "renditions": [shown]}


def posted_revision(article, value):
    """The article's revision a review form names, or None (then the step says to choose one),
    whatever was posted."""
    try:
        return Revision.objects.for_object(article).filter(pk=value or None).first()
    except (ValueError, ValidationError):
        return None


REVIEW_STEPS = {"submit": _submit, "approve": _approve, "request_changes": _request_changes, "publish": _publish}


class PublicationFilter(admin.SimpleListFilter):
    """Draft, scheduled or live, as the State column says it: an article published for a later
    time, or a live one with a change set for later, is scheduled rather than published."""

    title = gettext_lazy("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("draft", gettext_lazy("Draft")),
            ("scheduled", gettext_lazy("Scheduled")),
            ("live", gettext_lazy("Live")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            scheduled = Q(publish_at__gt=now) | Q(pk__in=ReviewDecision.objects.filter(pending=True).values("article"))
            return queryset.filter(status=Article.Status.PUBLISHED).filter(scheduled)
        if self.value() == "live":
            return queryset.published()
        return queryset


class MedicalReviewChangeList(ChangeList):
    """Reads the medical review of every listed article at once, for the State column."""

    def get_results(self, request):
        super().get_results(request)
        reviews = review.medical_reviews(self.result_list)
        for article in self.result_list:
            article.medical_review = reviews[article.pk]


class MedicalReviewAdminMixin:
    """Review, preview and publishing for the article admin, for editors and medical reviewers."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/review/", view(self.review_view), name="articles_article_review"),
            path("<path:object_id>/preview/", view(self.preview_view), name="articles_article_preview"),
            *super().get_urls(),
        ]

    def works_on_review(self, request):
        """Editors and medical reviewers; staff who may only look at articles (moderators) see none of it."""
        return review.may_edit(request.user) or review.may_review(request.user)

    def reviewed_article(self, request, object_id):
        try:
            article = (
                Article.objects.select_related("live_revision", "live_approval__clinician").filter(pk=object_id).first()
            )
        except (ValueError, ValidationError):  # an address naming no article id
            article = None
        if article is None:
            raise Http404(_("This article no longer exists."))
        if not self.works_on_review(request):
            raise PermissionDenied
        return article

    def revision_object(self, request, object_id, *, change=False):
        if not self.works_on_review(request):
            raise PermissionDenied
        return super().revision_object(request, object_id, change=change)

    def revision_marks(self, obj, history):
        """Every revision's review state: the newest one's as `medical_review` tells it, each older
        one's from the last step taken on it."""
        current = review.medical_review(obj)
        marks = {}
        for revision in history:
            if revision.pk == obj.live_revision_id:
                marks[revision.pk] = _("Live")
            elif current.latest is not None and revision.pk == current.latest.pk:
                marks[revision.pk] = self.newest_mark(current)
            else:
                marks[revision.pk] = self.older_mark(revision, current.decisions)
        return marks

    def newest_mark(self, current):
        if current.state == ReviewState.SCHEDULED:
            return _("Scheduled for %(when)s") % {"when": review.local_time_text(current.scheduled.publish_at)}
        return str(current.state_label)

    def older_mark(self, revision, decisions):
        steps = [decision.action for decision in decisions if decision.revision_id == revision.pk]
        if ReviewDecision.Action.PUBLISHED in steps:
            return _("Was live")
        for action in steps:  # newest first
            if action == ReviewDecision.Action.APPROVED:
                return _("Approved")
            if action == ReviewDecision.Action.CHANGES_REQUESTED:
                return _("Changes requested")
        return str(ReviewState.labels[ReviewState.DRAFT])

    # --- The list ------------------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return MedicalReviewChangeList

    @admin.display(description=gettext_lazy("State"), ordering="status")
    def state(self, article):
        """The article's label, the same words as its change form and review screen."""
        current = getattr(article, "medical_review", None) or review.medical_review(article)
        return current.label

    # --- The screens ---------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if article is not None and self.works_on_review(request):
            extra.update(self.review_context(request, article))
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def review_context(self, request, article):
        current = review.medical_review(article)
        return {
            "medical_review": current,
            "stuck_reason": review.stuck_reason(current),
            "review_url": reverse("admin:articles_article_review", args=[article.pk]),
            "preview_url": reverse("admin:articles_article_preview", args=[article.pk]),
            "history_url": reverse("admin:articles_article_revisions", args=[article.pk]),
            "compare_url": reverse("admin:articles_article_compare", args=[article.pk]),
        }

    def review_view(self, request, object_id):
        """The article's review screen: what changed since the live version, the decisions so far,
        and the buttons this person may use. Every button posts; this page itself changes nothing."""
        article = self.reviewed_article(request, object_id)
        if request.method == "POST":
            return self.review_step(request, article)
        context = self.review_context(request, article)
        current = context["medical_review"]
        latest, user = current.latest, request.user
        base = article.live_revision if current.has_unpublished_changes else None
        refusal = latest and review.approval_refusal(user, article, latest)
        in_review = current.state == ReviewState.IN_REVIEW
        publish_refusal = review.publish_refusal(article, current) if review.may_publish(user) else ""
        context = {
            **self.admin_site.each_context(request),
            **context,
            "opts": self.opts,
            "original": article,
            "title": _("Medical review of “%(title)s”")
            % {"title": latest.content.get("title") if latest else article.title},
            "changes": changed_fields(Article, base.content, latest.content) if base and latest else [],
            "base": base,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "can_submit": review.may_edit(user) and current.state in (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED),
            "can_decide": in_review and not refusal,
            "decide_refusal": refusal if in_review and review.may_review(user) else "",
            "can_publish": review.may_publish(user) and not publish_refusal,
            "publish_refusal": publish_refusal,
            "publish_form": PublishForm(),
            "allow_minor_edits_setting": settings.ARTICLES_ALLOW_MINOR_EDITS,
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def review_step(self, request, article):
        """Carry out the step a button of the review screen posted, and go back to the screen."""
        run = REVIEW_STEPS.get(request.POST.get("step"))
        comment = request.POST.get("comment", "").strip()[:2000]
        revision = posted_revision(article, request.POST.get("revision"))
        try:
            if run is None:
                raise ReviewError(_("Please use one of the buttons."))
            with transaction.atomic():
                done = run(request, article, revision, comment)
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("admin:articles_article_review", args=[article.pk]))

    def preview_view(self, request, object_id):
        """The newest draft on the public page design, for staff only and never stored anywhere."""
        article = self.reviewed_article(request, object_id)
        current = review.medical_review(article)
        article = Article.objects.for_page().get(pk=article.pk)
        draft = review.draft_of(article)
        if draft.hero_image and not draft.hero:
            draft.hero_renditions = preview_renditions(draft.hero_image)
        # The credit the draft would carry: its own approval, none yet, or the live one if unchanged.
        draft.live_approval = current.approval if current.state != ReviewState.LIVE else article.live_approval
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
            extra_context={"preview": True, "preview_label": current.label, "preview_state": current.state},
        )
        response.headers["Cache-Control"] = "private, no-store"  # the admin adds its own no-cache directives
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    # --- The publish action --------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Publish the selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        published, refused = 0, []
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            try:
                with transaction.atomic():
                    review.article_publish(article=article, user=request.user, publish_at=article.publish_at)
            except ReviewError:
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

"""Medical review of articles: nothing medical goes live unreviewed, and every change is kept.

The article row holds the LIVE content, so every public query, feed, sitemap and search index
reads it as before. Each admin save of a published article is kept as a revision only (the row,
and so the page cache, stay untouched); it goes live when `article_publish` copies an approved
revision onto the row. An approval is a `ReviewDecision` bound to one revision, and it carries
over to later revisions only while their medical content (title, summary, body, image) is the same.

Draft → Submit for medical review → In review → Approve or Request changes → Approved → Publish.
The views and the admin actions call the `review_*` and `article_publish` functions below.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import pagecache
from articles.models import Article, Clinician, ReviewDecision, add_months
from articles.typos import is_typo_only
from core.groups import MEDICAL_REVIEWERS
from revisions import apply_content, revision_create
from revisions.models import Revision

logger = logging.getLogger(__name__)

CONTENT_FIELDS = [
    "title",
    "slug",
    "category",
    "summary",
    "body",
    "hero_image",
    "hero_alt",
    "author",
    "reviewer",
    "seo_title",
    "seo_description",
]
MEDICAL_FIELDS = ("title", "summary", "body", "hero_image", "hero_alt")
SCHEDULE_CACHE_KEY = "articles:next-scheduled-revision:v1"
Action = ReviewDecision.Action


class ReviewError(Exception):
    """A review step that is not allowed now; its message is shown to the editor as it is."""


class State:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    LIVE = "live"

    labels = {
        DRAFT: gettext_lazy("Draft"),
        IN_REVIEW: gettext_lazy("In review"),
        CHANGES_REQUESTED: gettext_lazy("Changes requested"),
        APPROVED: gettext_lazy("Approved"),
        SCHEDULED: gettext_lazy("Scheduled"),
        LIVE: gettext_lazy("Live"),
    }


@dataclass
class ReviewStatus:
    """Where an article stands: its newest revision, that revision's state and its approval."""

    article: Article
    latest: Revision | None
    state: str
    approval: ReviewDecision | None
    decisions: list = field(default_factory=list)
    scheduled: ReviewDecision | None = None

    @property
    def has_unpublished_changes(self):
        return (
            self.article.status == Article.Status.PUBLISHED
            and self.latest is not None
            and self.latest.pk != self.article.live_revision_id
        )

    @property
    def state_label(self):
        return State.labels[self.state]

    @property
    def label(self):
        """What the admin says about the article as a whole, in the same words everywhere."""
        return article_label(
            self.article,
            unpublished=self.has_unpublished_changes,
            draft_state=self.state,
            scheduled_for=self.scheduled.publish_at if self.scheduled else None,
        )


def article_label(article, *, unpublished=False, draft_state=State.DRAFT, scheduled_for=None):
    if article.status == Article.Status.PUBLISHED:
        if article.is_scheduled:
            return _("Scheduled for %(when)s") % {"when": _when(article.publish_at)}
        if scheduled_for:
            return _("Live, changes scheduled for %(when)s") % {"when": _when(scheduled_for)}
        if unpublished:
            return _("Live, with unpublished changes")
        return _("Live")
    return str(State.labels.get(draft_state, State.labels[State.DRAFT]))


def _when(moment):
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def medical_content(content):
    return {name: content.get(name) for name in MEDICAL_FIELDS}


# --- Reading the state -------------------------------------------------------------------------------


def history_of(article):
    return Revision.objects.for_object(article)


def approval_for(article, revision, decisions=None):
    """The approval that covers `revision`: its own, or one of an earlier revision with the same
    medical content, unless changes were requested after it."""
    if revision is None:
        return None
    decisions = decisions if decisions is not None else list(article.review_decisions.all())
    medical = medical_content(revision.content)
    same = set()
    for earlier in history_of(article).filter(number__lte=revision.number).only("pk", "content"):
        if medical_content(earlier.content) != medical:
            break
        same.add(earlier.pk)
    for decision in decisions:  # newest first
        if decision.revision_id not in same:
            continue
        if decision.action == Action.CHANGES_REQUESTED:
            return None
        if decision.action == Action.APPROVED:
            return decision
    return None


def review_status(article):
    latest = history_of(article).select_related("created_by").first()
    decisions = list(article.review_decisions.select_related("user", "clinician", "revision"))
    scheduled = next((d for d in decisions if d.action == Action.SCHEDULED and d.pending), None)
    live = article.status == Article.Status.PUBLISHED
    if latest is None:
        return ReviewStatus(article, None, State.LIVE if live else State.DRAFT, article.live_approval, decisions)
    approval = approval_for(article, latest, decisions)
    on_latest = [d for d in decisions if d.revision_id == latest.pk and d.action != Action.PUBLISHED]
    last = on_latest[0].action if on_latest else None
    if live and latest.pk == article.live_revision_id:
        state = State.LIVE
    elif scheduled is not None and scheduled.revision_id == latest.pk:
        state = State.SCHEDULED
    elif last == Action.SUBMITTED:
        state = State.IN_REVIEW
    elif last == Action.CHANGES_REQUESTED:
        state = State.CHANGES_REQUESTED
    elif approval is not None:
        state = State.APPROVED
    else:
        state = State.DRAFT
    return ReviewStatus(article, latest, state, approval, decisions, scheduled)


def draft_of(article):
    """The article as its newest revision has it (in memory, nothing saved), for the form and
    the preview. Unchanged when the row already holds the newest revision."""
    latest = history_of(article).first()
    if latest is not None and latest.pk != article.live_revision_id:
        image = article.hero_image.name
        apply_content(article, latest.content)
        if article.hero_image.name != image:
            article.hero_renditions = {}  # made when the draft goes live
        article.body_html, article.toc = article.render_body()
    return article


# --- Who may do what -------------------------------------------------------------------------------


def clinician_of(user):
    return Clinician.objects.filter(user_id=user.pk).first() if user.is_authenticated else None


def may_edit(user):
    return user.has_perm("articles.change_article")


def may_publish(user):
    return user.has_perm("articles.publish_article")


def may_review(user):
    return user.has_perm("articles.approve_article")


def approval_refusal(user, article, revision):
    """Why `user` may not approve or send back `revision`, or None when they may."""
    if not may_review(user):
        return _("Only medical reviewers can approve articles or request changes.")
    if not (user.is_superuser or settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE):
        clinician = clinician_of(user)
        if clinician is None or clinician.pk != revision.content.get("reviewer"):
            return _("Only the article’s named medical reviewer can approve it or request changes.")
    if settings.ARTICLES_NO_SELF_APPROVAL and user.pk in _writers(article, revision):
        return _("You wrote changes in this version, so another medical reviewer needs to look at it.")
    return None


def _writers(article, revision):
    """Who saved the revisions since the live one, up to `revision`."""
    history = history_of(article).filter(number__lte=revision.number)
    if article.live_revision_id:
        live_number = history_of(article).filter(pk=article.live_revision_id).values_list("number", flat=True).first()
        history = history.filter(number__gt=live_number or 0)
    return set(history.exclude(created_by=None).values_list("created_by_id", flat=True))


# --- The steps -------------------------------------------------------------------------------------


def ensure_revision(article, *, user=None):
    """The newest revision, keeping the row's content as revision 1 the first time."""
    latest = history_of(article).first()
    if latest is None:
        row = Article.objects.get(pk=article.pk)
        latest = revision_create(obj=row, user=None, message=_("Content before revisions were kept"))
        if row.status == Article.Status.PUBLISHED:
            # A column only the admin reads: .update() leaves the page cache alone.
            Article.objects.filter(pk=article.pk).update(live_revision=latest)
            article.live_revision = latest
    return latest


def article_save_draft(*, article, user, message=""):
    """Keep the article's in-memory content as a revision without touching the live row."""
    ensure_revision(article)
    return revision_create(obj=article, user=user, message=message)


def review_submit(*, article, user, comment=""):
    if not may_edit(user):
        raise ReviewError(_("Only editors can submit articles for medical review."))
    revision = ensure_revision(article)
    status = review_status(article)
    if status.state not in (State.DRAFT, State.CHANGES_REQUESTED):
        raise ReviewError(_("This version is already %(state)s.") % {"state": str(status.state_label).lower()})
    decision = ReviewDecision.objects.create(
        article=article, revision=revision, action=Action.SUBMITTED, user=user, comment=comment
    )
    _notify(
        _reviewers_for(article, revision),
        _("Medical review requested: %(title)s") % {"title": revision.content.get("title")},
        _("%(who)s submitted “%(title)s” (revision %(number)s) for your medical review.\n\n%(comment)s")
        % {"who": _name(user), "title": revision.content.get("title"), "number": revision.number, "comment": comment},
        article,
    )
    return decision


def _decide(*, article, revision, user, action, comment="", allow_minor_edits=False):
    latest = history_of(article).first()
    if latest is None or revision.pk != latest.pk:
        raise ReviewError(_("This article has changed since it was submitted. Please look at the newest version."))
    refusal = approval_refusal(user, article, revision)
    if refusal:
        raise ReviewError(refusal)
    if review_status(article).state != State.IN_REVIEW:
        raise ReviewError(_("This version is not waiting for medical review."))
    credited = None
    if action == Action.APPROVED:
        credited = clinician_of(user) or Clinician.objects.filter(pk=revision.content.get("reviewer")).first()
    decision = ReviewDecision.objects.create(
        article=article,
        revision=revision,
        action=action,
        user=user,
        clinician=credited,
        comment=comment,
        allows_minor_edits=allow_minor_edits and action == Action.APPROVED,
    )
    title = revision.content.get("title")
    if action == Action.APPROVED:
        subject = _("Approved: %(title)s") % {"title": title}
        body = _("%(who)s approved “%(title)s” (revision %(number)s). It can be published now.\n\n%(comment)s")
    else:
        subject = _("Changes requested: %(title)s") % {"title": title}
        body = _("%(who)s asked for changes to “%(title)s” (revision %(number)s):\n\n%(comment)s")
    _notify(
        _editors_for(article, revision),
        subject,
        body % {"who": _name(user), "title": title, "number": revision.number, "comment": comment},
        article,
    )
    return decision


def review_approve(*, article, revision, user, comment="", allow_minor_edits=False):
    return _decide(
        article=article,
        revision=revision,
        user=user,
        action=Action.APPROVED,
        comment=comment,
        allow_minor_edits=allow_minor_edits,
    )


def review_request_changes(*, article, revision, user, comment):
    if not comment.strip():
        raise ReviewError(_("Please say what needs to change."))
    return _decide(article=article, revision=revision, user=user, action=Action.CHANGES_REQUESTED, comment=comment)


def publish_refusal(article, status):
    """Why the newest revision may not go live, or None."""
    if status.latest is None or (status.state == State.LIVE and not status.scheduled):
        return _("There are no unpublished changes.")
    if status.approval is not None:
        return None
    live = article.live_approval
    if (
        settings.ARTICLES_ALLOW_MINOR_EDITS
        and live is not None
        and live.allows_minor_edits
        and article.live_revision is not None
        and is_typo_only(article.live_revision.content, status.latest.content)
    ):
        return None
    return _(
        "This version has not been medically approved, so it cannot be published. "
        "Please submit it for medical review and publish it once it is approved."
    )


def article_publish(*, article, user, publish_at=None):
    """Put the newest revision live now, or at `publish_at`, if it is approved."""
    if not may_publish(user):
        raise ReviewError(_("Only editors can publish articles."))
    ensure_revision(article)
    article = Article.objects.select_related("live_revision", "live_approval").get(pk=article.pk)
    status = review_status(article)
    refusal = publish_refusal(article, status)
    if refusal:
        raise ReviewError(refusal)
    approval = status.approval or article.live_approval
    now = timezone.now()
    when = publish_at or now
    ReviewDecision.objects.filter(article=article, pending=True).update(pending=False)
    if article.is_live and when > now:
        decision = ReviewDecision.objects.create(
            article=article,
            revision=status.latest,
            action=Action.SCHEDULED,
            user=user,
            publish_at=when,
            pending=True,
        )
        cache.delete(SCHEDULE_CACHE_KEY)
        # Stored pages were given lifetimes before this schedule existed.
        pagecache.invalidate_after_commit()
        return decision
    return _make_live(article, status.latest, approval, user=user, publish_at=when)


def _make_live(article, revision, approval, *, user, publish_at):
    row = Article.objects.get(pk=article.pk)
    apply_content(row, revision.content)
    if not row.is_live:
        row.publish_at = publish_at
    row.status = Article.Status.PUBLISHED
    row.live_revision = revision
    row.live_approval = approval
    row.review_due_on = add_months(approval.reviewed_on, settings.ARTICLE_REVIEW_MONTHS) if approval else None
    row.save()
    return ReviewDecision.objects.create(
        article=row, revision=revision, action=Action.PUBLISHED, user=user, publish_at=row.publish_at
    )


def publish_due_changes():
    """Carry out scheduled publications whose time has come; costs a cache read otherwise.

    Called by the public views, feeds and sitemap, so a scheduled change goes live without cron;
    the page cache keeps no page past it (`Article.next_scheduled_publication`).
    """
    due_at = cache.get(SCHEDULE_CACHE_KEY)
    if due_at is None:
        first = ReviewDecision.objects.filter(pending=True).order_by("publish_at").first()
        due_at = first.publish_at.timestamp() if first else 0
        cache.set(SCHEDULE_CACHE_KEY, due_at, 300)
    if not due_at or due_at > time.time():
        return 0
    done = 0
    due = ReviewDecision.objects.filter(pending=True, publish_at__lte=timezone.now()).select_related("article")
    for decision in due:
        with transaction.atomic():
            if not ReviewDecision.objects.filter(pk=decision.pk, pending=True).update(pending=False):
                continue  # another worker got there first
            article = Article.objects.select_related("live_approval").get(pk=decision.article_id)
            approval = approval_for(article, decision.revision) or article.live_approval
            _make_live(article, decision.revision, approval, user=decision.user, publish_at=decision.publish_at)
            done += 1
    cache.delete(SCHEDULE_CACHE_KEY)
    return done


def record_past_approval(*, article, clinician, reviewed_on):
    """An approval of the article's current live text on `reviewed_on`, as the migration of the
    old typed dates does; for demo content and tests."""
    revision = ensure_revision(article)
    created = timezone.make_aware(timezone.datetime.combine(reviewed_on, timezone.datetime.min.time()))
    approval = ReviewDecision.objects.create(
        article=article,
        revision=revision,
        action=Action.APPROVED,
        clinician=clinician,
        created=created + timedelta(hours=12),
        comment=_("Medical review recorded before approvals were kept in the site."),
    )
    due = add_months(reviewed_on, settings.ARTICLE_REVIEW_MONTHS)
    Article.objects.filter(pk=article.pk).update(
        live_revision=revision if article.status == Article.Status.PUBLISHED else None,
        live_approval=approval,
        review_due_on=due,
    )
    article.live_approval, article.review_due_on = approval, due
    return approval


# --- Who hears about it ----------------------------------------------------------------------------


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else _("Someone")


def _active_with_email(users):
    return [user for user in users if user.is_active and user.email]


def _reviewers_for(article, revision):
    User = get_user_model()
    reviewer_id = revision.content.get("reviewer")
    named = User.objects.filter(clinician__pk=reviewer_id) if reviewer_id else User.objects.none()
    if settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE or not named.exists():
        return _active_with_email(User.objects.filter(groups__name=MEDICAL_REVIEWERS).distinct())
    return _active_with_email(named)


def _editors_for(article, revision):
    User = get_user_model()
    writers = _writers(article, revision)
    submitters = article.review_decisions.filter(revision=revision, action=Action.SUBMITTED).values("user")
    return _active_with_email(User.objects.filter(Q(pk__in=writers) | Q(pk__in=submitters)).distinct())


def _notify(users, subject, body, article):
    """Email after the decision is committed; a failure is logged, never shown to the reviewer."""
    recipients = sorted({user.email for user in users})
    if not recipients:
        return
    link = reverse("admin:articles_article_review", args=[article.pk])
    message = f"{body.strip()}\n\n{_('Open it in the admin:')} {link}\n"

    def send():
        try:
            send_mail(subject, message, None, recipients)
        except Exception:
            logger.exception("Could not send the review email %r to %s", subject, recipients)

    transaction.on_commit(send)


# --- Dashboard and reminders -----------------------------------------------------------------------


@dataclass
class ReviewWork:
    due: list
    waiting: list

    def __bool__(self):
        return bool(self.due or self.waiting)


def review_work(user, *, today=None):
    """Reviews due (overdue or within ARTICLES_REVIEW_DUE_SOON_DAYS) and drafts waiting for review.

    A reviewer sees their own articles (all of them with ARTICLES_ANY_REVIEWER_MAY_APPROVE); editors
    and superusers see every article.
    """
    if not (may_edit(user) or may_review(user)):
        return ReviewWork([], [])
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.ARTICLES_REVIEW_DUE_SOON_DAYS)
    articles = Article.objects.select_related("reviewer")
    if not (may_edit(user) or user.is_superuser or settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE):
        clinician = clinician_of(user)
        articles = articles.filter(reviewer=clinician) if clinician else articles.none()
    due = list(
        articles.filter(status=Article.Status.PUBLISHED)
        .filter(Q(review_due_on__lte=horizon) | Q(review_due_on__isnull=True))
        .order_by("review_due_on", "title")
    )
    submitted = articles.filter(review_decisions__action=Action.SUBMITTED).distinct()
    waiting = []
    for article in submitted:
        status = review_status(article)
        if status.state == State.IN_REVIEW and (may_edit(user) or user.is_superuser or _is_for(user, status)):
            waiting.append(status)
    return ReviewWork(due, waiting)


def _is_for(user, status):
    return settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE or (
        (clinician := clinician_of(user)) is not None and clinician.pk == status.latest.content.get("reviewer")
    )


def reviewers():
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=MEDICAL_REVIEWERS).exclude(email="").distinct()

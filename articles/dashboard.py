"""The medical review work waiting for each person: for the admin index and the daily reminders
(`manage.py send_review_reminders`).

Each list is for whoever acts on it next, so nobody learns of their turn only by email: a reviewer
sees the drafts they are asked to review, an editor the drafts sent back to them and the approved
ones ready to publish. The whole dashboard reads a fixed number of queries however many articles
there are: the states come from `medical_reviews`, never one article at a time.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article, ReviewDecision
from articles.review import (
    ReviewState,
    asked_to_review,
    clinician_of,
    may_edit,
    may_publish,
    may_review,
    medical_reviews,
    stuck_reasons,
)
from core.groups import MEDICAL_REVIEWERS
from revisions.models import Revision


@dataclass
class SentBack:
    """A draft sent back to its editors, with the reviewer's request."""

    review: object
    request: object


@dataclass
class Stuck:
    """A draft in review whose named reviewer can no longer approve it, and what to fix."""

    review: object
    reason: str


@dataclass
class ReviewWork:
    """Lists of `MedicalReview`s (`due` and `scheduled_articles` hold articles), one per kind of work."""

    waiting: list = field(default_factory=list)
    stuck: list = field(default_factory=list)
    changes_requested: list = field(default_factory=list)
    ready: list = field(default_factory=list)
    scheduled: list = field(default_factory=list)
    scheduled_articles: list = field(default_factory=list)
    due: list = field(default_factory=list)

    @property
    def scheduled_count(self):
        return len(self.scheduled) + len(self.scheduled_articles)

    def __bool__(self):
        return any(
            (
                self.waiting,
                self.stuck,
                self.changes_requested,
                self.ready,
                self.scheduled,
                self.scheduled_articles,
                self.due,
            )
        )


def review_work(user, *, today=None):
    """The work waiting for `user`.

    - waiting: drafts in review that they may decide on (as the named reviewer, or any with
      ARTICLES_ANY_REVIEWER_MAY_APPROVE);
    - stuck: drafts in review whose named reviewer can no longer approve them, for editors, who
      would otherwise never learn that nobody can;
    - changes_requested: drafts sent back on articles they edit (as the author's login or the
      last person to save it);
    - ready: approved drafts, for those who may publish;
    - scheduled (changes) and scheduled_articles (first publications), for editors;
    - due: reviews overdue or due within ARTICLES_REVIEW_DUE_SOON_DAYS: a reviewer's own articles
      (all with ARTICLES_ANY_REVIEWER_MAY_APPROVE), every article for editors.
    Staff who neither edit nor review (moderators) get nothing.
    """
    editor, reviewer = may_edit(user), may_review(user)
    if not (editor or reviewer):
        return ReviewWork()
    today = today or timezone.localdate()
    sees_all = editor or user.is_superuser or settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE
    clinician = None if sees_all and not reviewer else clinician_of(user)
    work = ReviewWork()
    unpublished = _unpublished_work()
    stuck = stuck_reasons(unpublished) if editor else {}
    for current in unpublished:
        if current.article.pk in stuck:
            work.stuck.append(Stuck(current, stuck[current.article.pk]))
        elif current.state == ReviewState.IN_REVIEW and reviewer and asked_to_review(user, clinician, current.latest):
            work.waiting.append(current)
        elif current.state == ReviewState.CHANGES_REQUESTED and editor and _edits(user, current):
            work.changes_requested.append(SentBack(current, _request_of(current)))
        elif current.state == ReviewState.APPROVED and may_publish(user):
            work.ready.append(current)
        elif current.state == ReviewState.SCHEDULED and editor:
            work.scheduled.append(current)
    work.scheduled.sort(key=lambda current: current.scheduled.publish_at)
    if editor:
        work.scheduled_articles = list(
            Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()).order_by(
                "publish_at"
            )
        )
    articles = Article.objects.select_related("reviewer")
    if not sees_all:
        articles = articles.filter(reviewer=clinician) if clinician else articles.none()
    horizon = today + timedelta(days=settings.ARTICLES_REVIEW_DUE_SOON_DAYS)
    work.due = list(
        articles.filter(status=Article.Status.PUBLISHED)
        .filter(Q(review_due_on__lte=horizon) | Q(review_due_on__isnull=True))
        .order_by("review_due_on", "title")
    )
    return work


def _unpublished_work():
    """The medical review of every article whose newest revision is not the live one (drafts of
    new articles and pending changes of live ones), in three queries."""
    content_type = ContentType.objects.get_for_model(Article, for_concrete_model=False)
    newest = Revision.objects.filter(content_type=content_type, object_id=OuterRef("pk")).order_by("-number")
    articles = list(
        Article.objects.select_related("author")
        .defer("body", "body_html", "toc")
        .annotate(newest_revision=Subquery(newest.values("pk")[:1]))
        .filter(newest_revision__isnull=False)
        .exclude(live_revision=F("newest_revision"))
        .order_by("title")
    )
    reviews = medical_reviews(articles)
    return [reviews[article.pk] for article in articles]


def _request_of(current):
    return next(
        decision
        for decision in current.decisions
        if decision.revision_id == current.latest.pk and decision.action == ReviewDecision.Action.CHANGES_REQUESTED
    )


def _edits(user, current):
    """Whether `user` works on this article: its author's login, or the last to save the draft."""
    return current.article.author.user_id == user.pk or current.latest.created_by_id == user.pk


def reviewers():
    """The medical reviewers a daily reminder can reach."""
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=MEDICAL_REVIEWERS).exclude(email="").distinct()

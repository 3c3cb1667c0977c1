"""The medical review work waiting for each person: for the admin index and the daily reminders
(`manage.py send_review_reminders`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, ReviewDecision
from articles.review import ReviewState, clinician_of, may_edit, may_review, medical_review
from core.groups import MEDICAL_REVIEWERS


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
    submitted = articles.filter(review_decisions__action=ReviewDecision.Action.SUBMITTED).distinct()
    waiting = []
    for article in submitted:
        review = medical_review(article)
        if review.state == ReviewState.IN_REVIEW and (may_edit(user) or user.is_superuser or _is_for(user, review)):
            waiting.append(review)
    return ReviewWork(due, waiting)


def _is_for(user, review):
    return settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE or (
        (clinician := clinician_of(user)) is not None and clinician.pk == review.latest.content.get("reviewer")
    )


def reviewers():
    """The medical reviewers a daily reminder can reach."""
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=MEDICAL_REVIEWERS).exclude(email="").distinct()

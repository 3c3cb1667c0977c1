"""Approvals given before the site kept them, for demo content and tests: an article's live text
approved on a past day, as the migration of the old typed review dates records them."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, ReviewDecision, add_months
from articles.review import ensure_revision


def record_past_approval(*, article, clinician, reviewed_on):
    """An approval of the article's current live text on `reviewed_on`."""
    revision = ensure_revision(article)
    created = timezone.make_aware(timezone.datetime.combine(reviewed_on, timezone.datetime.min.time()))
    approval = ReviewDecision.objects.create(
        article=article,
        revision=revision,
        action=ReviewDecision.Action.APPROVED,
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

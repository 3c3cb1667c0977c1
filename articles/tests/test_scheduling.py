"""Scheduled changes: each goes live at its time on its own, and one that is late leaves the page
cache as it was."""

import logging
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, ReviewDecision
from articles.review import article_save_draft
from articles.scheduling import publish_due_changes
from articles.tests.factories import make_article
from articles.tests.people import back_pain_article

pytestmark = pytest.mark.django_db


def scheduled_change(article, user, *, minutes_from_now, **changes):
    """A change of `article` scheduled to go live `minutes_from_now` (negative: its time has passed)."""
    for name, value in changes.items():
        setattr(article, name, value)
    revision = article_save_draft(article=article, user=user)
    return ReviewDecision.objects.create(
        article=article,
        revision=revision,
        action=ReviewDecision.Action.SCHEDULED,
        user=user,
        publish_at=timezone.now() + timedelta(minutes=minutes_from_now),
        pending=True,
    )


def test_a_change_whose_time_has_passed_is_no_next_change_and_pages_stay_cached(editor, page_cache):
    article = back_pain_article()
    scheduled_change(article, editor, minutes_from_now=-5, body="## Moving\n\nWalk every day.")
    assert Article.next_scheduled_publication() is None
    later = scheduled_change(make_article(), editor, minutes_from_now=30, body="Later text.")
    assert Article.next_scheduled_publication() == later.publish_at

    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    with mock.patch("time.time", return_value=time.time() + 60):
        assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_change_that_cannot_go_live_is_logged_and_the_others_still_do(editor, caplog):
    taken = make_article(slug="walking-guide")
    blocked = back_pain_article()
    other = make_article(title="Knee guide")
    scheduled_change(other, editor, minutes_from_now=-1, body="## Knees\n\nRest them a little.")
    # Another article took the address this change moves to after it was scheduled.
    failing = scheduled_change(blocked, editor, minutes_from_now=-2, slug=taken.slug)

    with caplog.at_level(logging.ERROR, logger="articles.scheduling"):
        assert publish_due_changes() == 1

    assert "Rest them a little." in Article.objects.get(pk=other.pk).body
    assert Article.objects.get(pk=blocked.pk).slug == "easing-back-pain"
    assert ReviewDecision.objects.get(pk=failing.pk).pending  # tried again on the next run
    assert f"Could not publish the scheduled change of article {blocked.pk}" in caplog.text


def test_a_scheduled_change_goes_live_under_its_own_approval_after_a_later_draft_is_sent_back(editor, reviewer):
    from articles.review import article_publish, review_approve, review_request_changes, review_submit
    from articles.tests.people import rita_reyes

    article = back_pain_article(reviewer=rita_reyes(reviewer))
    article.body = "## Moving\n\nWalk twice a day."
    approved = article_save_draft(article=article, user=editor)
    review_submit(article=article, user=editor)
    approval = review_approve(article=article, revision=approved, user=reviewer)
    article_publish(article=article, user=editor, publish_at=timezone.now() + timedelta(minutes=30))
    # Before that time, a later draft is sent back by the reviewer.
    article.body = "## Moving\n\nRun twice a day."
    sent_back = article_save_draft(article=article, user=editor)
    review_submit(article=article, user=editor)
    review_request_changes(article=article, revision=sent_back, user=reviewer, comment="Walking, not running.")

    ReviewDecision.objects.filter(pending=True).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert publish_due_changes() == 1

    live = Article.objects.get(pk=article.pk)
    assert live.live_revision_id == approved.pk
    assert live.live_approval_id == approval.pk
    assert "Walk twice a day." in live.body

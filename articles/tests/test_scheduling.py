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

"""Readers see when a published article's text last changed, beside the date of its medical review."""

# ruff: noqa: F401, F811 (the review tests' fixtures, imported by name)

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article
from articles.tests.test_review import (
    approve_newest,
    edit,
    live,
    login,
    step,
)

pytestmark = pytest.mark.django_db


def byline(article):
    page = Client().get(article.get_absolute_url())
    return page, page.content.decode().split('class="article-meta"')[1].split("</p>")[0]


def publish_a_change(editor, reviewer, article):
    edit(login(editor), article, body="## Moving\n\nShort, gentle walks help most people.")
    step(login(editor), article, "submit")
    approve_newest(reviewer, article)
    step(login(editor), article, "publish")


def test_a_change_published_after_the_first_day_shows_updated_on_with_its_date(
    editor,
    reviewer,
    live,
    page_cache,
    django_capture_on_commit_callbacks,
):
    _page, before = byline(live)
    assert "Updated on" not in before
    assert Client().get(live.get_absolute_url())["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        publish_a_change(editor, reviewer, live)

    page, after = byline(live)
    today = timezone.localdate()
    assert page["X-Page-Cache"] == "miss"  # the stored page went with the row's change
    assert f'Updated on <time datetime="{today.isoformat()}">{today:%-d %B %Y}</time>' in after
    assert "Medically reviewed on" in after
    assert after.index("Medically reviewed on") < after.index("Updated on")


def test_a_first_publication_is_not_an_update(editor, reviewer, live):
    draft = make_article(
        title="Knee guide",
        status=Article.Status.DRAFT,
        reviewer=live.reviewer,
        publish_at=timezone.now() - timedelta(days=5),
    )
    step(login(editor), draft, "submit")
    approve_newest(reviewer, draft)
    step(login(editor), draft, "publish")
    draft.refresh_from_db()
    assert draft.is_live
    assert "Updated on" not in byline(draft)[1]


def test_a_change_published_on_the_day_of_first_publication_is_not_shown_as_an_update(editor, reviewer, live):
    Article.objects.filter(pk=live.pk).update(publish_at=timezone.now() - timedelta(minutes=5))
    publish_a_change(editor, reviewer, live)
    assert "Updated on" not in byline(live)[1]

"""Search cost stays flat as the archive grows (see docs/PERFORMANCE.md)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL full-text search")
def test_postgresql_search_ranks_only_the_newest_matches(monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    make_article(slug="oldest", title="Fibromyalgia explained", publish_at=days_ago(3))
    make_article(slug="middle", title="Tiredness", summary="Fibromyalgia and sleep.", publish_at=days_ago(2))
    make_article(slug="newest", title="Pacing", body="Pacing helps fibromyalgia.", publish_at=days_ago(1))
    make_article(slug="unrelated", title="Knee pain", publish_at=days_ago(0))

    slugs = [article.slug for article in search.search_articles("fibromyalgia")]

    # The two newest matches, best first (summary above body); the oldest lies beyond the bound.
    assert slugs == ["middle", "newest"]


def test_drafts_and_scheduled_articles_take_no_place_among_the_ranked_matches(monkeypatch):
    from articles.models import Article

    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    make_article(slug="live-old", title="Fibromyalgia explained", publish_at=days_ago(30))
    make_article(slug="live", title="Fibromyalgia and sleep", publish_at=days_ago(20))
    for n in range(3):
        make_article(slug=f"draft-{n}", title="Fibromyalgia notes", status=Article.Status.DRAFT)
        make_article(slug=f"soon-{n}", title="Fibromyalgia update", publish_at=timezone.now() + timedelta(days=3))

    assert sorted(article.slug for article in search.search_articles("fibromyalgia")) == ["live", "live-old"]


def test_search_still_ranks_title_matches_first_among_recent_matches():
    make_article(slug="body", title="Pacing", body="Pacing helps fibromyalgia.", publish_at=days_ago(1))
    make_article(slug="title", title="Fibromyalgia explained", publish_at=days_ago(2))

    assert [article.slug for article in search.search_articles("fibromyalgia")] == ["title", "body"]


def test_search_finds_other_forms_of_a_word_on_both_databases():
    make_article(slug="stem", title="What a nerve block injection feels like", body="b")
    make_article(slug="other", title="Walking", body="b")

    assert [article.slug for article in search.search_articles("injections")] == ["stem"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_search_ranks_only_the_most_recently_added_matches(monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    make_article(slug="oldest", title="Fibromyalgia explained")
    make_article(slug="middle", title="Tiredness", summary="Fibromyalgia and sleep.")
    make_article(slug="newest", title="Pacing", body="Pacing helps fibromyalgia.")

    # The two last added, best first (summary above body); the first one lies beyond the bound.
    assert [article.slug for article in search.search_articles("fibromyalgia")] == ["middle", "newest"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_search_index_follows_every_write_path():
    from articles.models import Article

    article = make_article(slug="walk", title="Walking for back pain")
    article.title = "Swimming for back pain"
    article.save()
    assert [a.slug for a in search.search_articles("swimming")] == ["walk"]
    assert list(search.search_articles("walking")) == []

    Article.objects.filter(pk=article.pk).update(summary="Cycling helps too.")  # no save(): the trigger
    assert [a.slug for a in search.search_articles("cycling")] == ["walk"]

    article.delete()
    assert list(search.search_articles("swimming")) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
@pytest.mark.parametrize(
    "lost_by_a_rebuild", ["DROP TRIGGER articles_article_fts_insert", "DROP INDEX article_search_filter_idx"]
)
def test_sqlite_search_index_triggers_and_filter_index_come_back_after_a_table_rebuild(lost_by_a_rebuild):
    from articles import sqlite_search

    with connection.cursor() as cursor:
        cursor.execute(lost_by_a_rebuild)  # what a SQLite table rebuild does
    sqlite_search.install()
    make_article(slug="new", title="Sleep and pain")

    assert [a.slug for a in search.search_articles("sleep")] == ["new"]


def test_search_treats_query_syntax_as_plain_words():
    make_article(slug="knee", title="Knee pain at night")

    for query in ['knee"', "knee AND", "knee*", "NEAR(knee)", "-knee", "knee OR zzz", "title:knee"]:
        slugs = [a.slug for a in search.search_articles(query)]
        assert slugs in (["knee"], []), query  # answered as words, never an error


def test_search_pages_continue_in_rank_order_without_repeats(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    make_article(slug="body-old", title="Pacing", body="Fibromyalgia and pacing.", publish_at=days_ago(5))
    make_article(slug="title-old", title="Fibromyalgia explained", publish_at=days_ago(4))
    make_article(slug="summary", title="Sleep", summary="Fibromyalgia and sleep.", publish_at=days_ago(3))
    make_article(slug="title-new", title="Fibromyalgia today", publish_at=days_ago(2))
    make_article(slug="body-new", title="Walking", body="Walking with fibromyalgia.", publish_at=days_ago(1))
    make_article(slug="draft", title="Fibromyalgia draft", status="draft")

    url = reverse("articles:search")
    pages = [client.get(url, {"q": "fibromyalgia", "page": n}).context["page"] for n in (1, 2, 3)]

    # Title matches first, then the summary, then the body; the newer first within each.
    assert [[a.slug for a in page] for page in pages] == [
        ["title-new", "title-old"],
        ["summary", "body-new"],
        ["body-old"],
    ]
    assert [page.has_next for page in pages] == [True, True, False]
    assert client.get(url, {"q": "fibromyalgia", "page": 4}).status_code == 404


def test_search_results_end_at_the_ranked_bound(monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 3)
    for n in range(5):
        make_article(slug=f"knee-{n}", title=f"Knee pain {n}", publish_at=days_ago(n))

    results = search.search_articles("knee")
    assert len(list(results)) == 3
    assert list(results[2:10]) == list(results)[2:]
    assert list(results[3:6]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search entries are PostgreSQL's")
def test_postgresql_search_entries_follow_every_write_path():
    from articles.models import Article, SearchEntry

    article = make_article(slug="walk", title="Walking for back pain", publish_at=days_ago(1))
    assert [a.slug for a in search.search_articles("walking")] == ["walk"]

    Article.objects.filter(pk=article.pk).update(body="Swimming helps too.")  # no save(): the trigger
    assert [a.slug for a in search.search_articles("swimming")] == ["walk"]

    moved = days_ago(2)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT, publish_at=moved)
    entry = SearchEntry.objects.get(pk=article.pk)
    assert (entry.status, entry.publish_at) == (Article.Status.DRAFT, moved)
    assert list(search.search_articles("walking")) == []

    Article.objects.filter(pk=article.pk).delete()
    assert not SearchEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search entries are PostgreSQL's")
def test_postgresql_refresh_restores_a_missing_search_entry_and_leaves_current_ones_alone():
    from articles.models import Article, SearchEntry

    article = make_article(slug="knee", title="Knee pain at night")
    assert Article.objects.refresh_search_documents() == 0  # already current

    SearchEntry.objects.filter(pk=article.pk).delete()  # as if written with triggers disabled
    assert list(search.search_articles("knee")) == []
    assert Article.objects.refresh_search_documents() == 1
    assert [a.slug for a in search.search_articles("knee")] == ["knee"]

"""A misspelt word gets a "did you mean" link to the word the site's own live articles use."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SearchWord
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    make_article(title="Living with sciatica", summary="Pain down the leg.", body="Sciatica and the nerve.")
    make_article(title="Fibromyalgia explained", summary="Widespread pain.", body="Fibromyalgia and sleep.")
    make_article(title="Arthritis of the knee", summary="Stiff joints.", body="Arthritis and walking.")


def search(client, query):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    return response


def suggestion_links(response):
    return re.findall(r'Did you mean <a href="([^"]*)">([^<]*)</a>', response.content.decode())


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("sciatca", "sciatica"), ("fibromyalga", "fibromyalgia"), ("artritis", "arthritis")],
)
def test_a_misspelt_word_is_answered_with_a_link_to_the_right_one(client, library, typed, meant):
    response = search(client, typed)
    assert list(response.context["page"]) == []
    assert suggestion_links(response) == [(f"?q={meant}", meant)]


def test_the_suggestion_keeps_the_words_that_were_right(client, library):
    response = search(client, "knee artritis")
    assert suggestion_links(response) == [("?q=knee%20arthritis", "knee arthritis")]


def test_following_the_suggestion_finds_the_article(client, library):
    [(href, _)] = suggestion_links(search(client, "sciatca"))
    response = client.get(reverse("articles:search") + href)
    assert [article.title for article in response.context["page"]] == ["Living with sciatica"]


def test_no_suggestion_when_the_search_finds_articles(client, library):
    assert suggestion_links(search(client, "sciatica")) == []


def test_no_suggestion_for_words_nothing_resembles(client, library):
    assert suggestion_links(search(client, "zzzqqq")) == []


def test_words_of_drafts_and_scheduled_articles_are_never_suggested(client):
    make_article(title="Radiofrequency ablation", status=Article.Status.DRAFT)
    make_article(title="Neuromodulation", publish_at=timezone.now() + timedelta(days=3))
    assert suggestion_links(search(client, "radiofrequenci")) == []
    assert suggestion_links(search(client, "neuromodulaton")) == []


def test_words_of_an_article_taken_down_are_no_longer_suggested(client, library):
    article = Article.objects.get(title="Living with sciatica")
    article.status = Article.Status.DRAFT
    article.save()
    assert suggestion_links(search(client, "sciatca")) == []


def test_an_edited_article_suggests_its_new_words(client):
    article = make_article(title="Whiplash", body="After a car crash.")
    article.title = "Osteoarthritis"
    article.save()
    assert suggestion_links(search(client, "osteoartritis")) == [("?q=osteoarthritis", "osteoarthritis")]
    assert suggestion_links(search(client, "whiplsh")) == []


def test_the_suggestion_is_escaped(client, library):
    html = search(client, '"><script>sciatca').content.decode()
    assert "<script>" not in html


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL triggers count bulk writes; SQLite follows ORM saves"
)
def test_word_counts_follow_bulk_writes_on_postgresql():
    first = make_article(title="Sciatica", summary="Leg.", body="Nerve.")
    make_article(title="Sciatica again", summary="Leg.", body="Nerve.", category=first.category, author=first.author)

    def count(word):
        return SearchWord.objects.filter(word=word).values_list("articles", flat=True).first()

    assert count("sciatica") == 2
    Article.objects.filter(title="Sciatica again").update(status=Article.Status.DRAFT)
    assert (count("sciatica"), count("again")) == (1, None)
    Article.objects.update(reading_minutes=7)
    assert count("sciatica") == 1
    Article.objects.all().delete()
    assert SearchWord.objects.count() == 0


def test_the_vocabulary_counts_published_articles_once_per_word(db):
    first = make_article(title="Sciatica sciatica", summary="Leg.", body="Nerve.")
    make_article(title="Sciatica again", summary="Leg.", body="Nerve.", category=first.category, author=first.author)
    make_article(title="Sciatica drafted", status=Article.Status.DRAFT)
    counts = dict(SearchWord.objects.filter(word__in=["sciatica", "again", "drafted"]).values_list("word", "articles"))
    assert counts == {"sciatica": 2, "again": 1}
    first.delete()
    assert SearchWord.objects.get(word="sciatica").articles == 1

"""What the search page shows: how many articles match, a snippet around the words, title matches first."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    "## Before </mark><script>alert('body')</script>\n\n"
    "Some <img src=x onerror=alert(1)> readers with back pain find that "
    '<mark>gentle walking</mark> helps. "><svg onload=alert(2)>'
)


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def results_html(client, query):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<h2 class="visually-hidden">') :]


def snippets(client, query):
    return re.findall(r'<p class="card-snippet">(.*?)</p>', results_html(client, query), flags=re.S)


def test_a_snippet_marks_the_matched_words_and_escapes_everything_else(client):
    make_article(title="Walking again", summary="A short summary.", body=HOSTILE_BODY)
    [snippet] = snippets(client, "back pain")
    # Only the reader's words are marked; every other angle bracket arrives escaped (PostgreSQL's
    # ts_headline drops what it reads as tags, SQLite keeps them: both are safe).
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["back", "pain"]
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet


def test_a_snippet_reads_as_words_not_markdown(client):
    markdown = "## When to use ice\n\n- **Ice** calms a fresh [sprain](https://example.org/sprain) in the knee."
    make_article(title="Ice or heat", summary="Which one to use.", body=markdown)
    [snippet] = snippets(client, "sprain")
    assert "When to use ice Ice calms a fresh <mark>sprain</mark> in the knee" in snippet
    assert "##" not in snippet and "**" not in snippet and "https://" not in snippet


def test_a_summary_match_is_highlighted_when_the_body_does_not_match(client):
    make_article(title="Sleep", summary="Why pillows matter for your neck.", body="Text about rest.")
    [snippet] = snippets(client, "pillows")
    assert "<mark>pillows</mark> matter for your neck." in snippet


def test_a_title_match_ranks_above_a_newer_body_only_match(client):
    make_article(
        slug="sciatica",
        title="Sciatica",
        summary="Pain that runs down the leg.",
        body="Sciatica often starts as back pain. " * 15,
        publish_at=days_ago(1),
    )
    make_article(slug="lower-back", title="Easing lower back pain", body="Rest and movement.", publish_at=days_ago(9))
    response = client.get(reverse("articles:search"), {"q": "back pain"})
    assert [article.slug for article in response.context["page"]] == ["lower-back", "sciatica"]


@pytest.mark.parametrize(
    ("matching", "message"),
    [(1, "1 article matches"), (5, "5 articles match")],
)
def test_the_page_says_how_many_articles_match(client, matching, message):
    for n in range(matching):
        make_article(title=f"Knee pain {n}", publish_at=days_ago(n + 1))
    make_article(title="Shoulder care")
    html = results_html(client, "knee")
    assert f'<p class="search-count">{message}</p>' in html


def test_the_count_covers_every_page_not_only_the_first(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        make_article(title=f"Knee pain {n}", publish_at=days_ago(n + 1))
    assert '<p class="search-count">5 articles match</p>' in results_html(client, "knee")


def test_beyond_the_ranked_matches_the_count_says_more_than(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 3)
    for n in range(5):
        make_article(title=f"Knee pain {n}", publish_at=days_ago(n + 1))
    assert '<p class="search-count">More than 3 articles match</p>' in results_html(client, "knee")


def test_no_count_is_shown_without_matches(client):
    make_article(title="Knee pain")
    assert "search-count" not in results_html(client, "zzzqqq")


def test_counting_and_snippets_add_no_query(client, django_assert_num_queries):
    for n in range(15):
        make_article(title=f"Knee pain {n}", body=f"Knee text {n}.", publish_at=days_ago(n + 1))
    client.get(reverse("articles:search"), {"q": "knee"})
    with django_assert_num_queries(1):
        response = client.get(reverse("articles:search"), {"q": "knee"})
    assert response.context["matches"] == 15
    assert all("<mark>" in article.snippet for article in response.context["page"])

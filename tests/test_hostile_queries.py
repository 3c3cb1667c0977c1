"""Query parameters and signed links: hostile values give a page or a clear 4xx, never a 5xx or markup."""

import pytest
from django.core import signing
from django.urls import reverse

from articles.tests.factories import make_article
from comments.models import Comment
from tests.hostile.corpus import ONE_LINE, SAMPLE, params
from tests.hostile.markup import injected_markup
from topics.models import TopicSuggestion

pytestmark = pytest.mark.django_db

BASELINES = {}
PAGE_NUMBERS = ["-1", "0", str(10**20), "abc", "1e3", "1.5", " 1", "\uff19", "0x10", "9" * 400, "%00", "1%0d%0a"]


@pytest.fixture
def library(db, settings):
    """A category and clinician with enough articles for two pages."""
    settings.ARTICLES_PER_PAGE = 2
    first = make_article(title="Easing lower back pain", slug="easing-back-pain", body="Back pain eases with care.")
    for number in range(2):
        make_article(slug=f"more-{number}", category=first.category, author=first.author)
    return first


@pytest.mark.parametrize("case", params(ONE_LINE))
def test_search_answers_every_query_with_a_page_holding_it_as_text(client, article, case):
    if "search" not in BASELINES:  # markup only: the same for every test (tokens and nonces are ignored)
        BASELINES["search"] = client.get(reverse("articles:search"), {"q": "no such words"}).content
    response = client.get(f"{reverse('articles:search')}?q={case.encoded()}")
    assert response.status_code == 200, response.status_code
    assert injected_markup(response.content, BASELINES["search"]) == []


@pytest.mark.parametrize("value", PAGE_NUMBERS)
@pytest.mark.parametrize("view", ["articles:home", "articles:category", "articles:clinician", "articles:search"])
def test_a_page_number_that_is_not_one_is_a_clear_404(client, library, view, value):
    kwargs = {
        "articles:category": {"slug": library.category.slug},
        "articles:clinician": {"slug": library.author.slug},
    }.get(view, {})
    query = "q=back&" if view == "articles:search" else ""
    response = client.get(f"{reverse(view, kwargs=kwargs)}?{query}page={value}")
    assert response.status_code == 404
    assert b"<h1>" in response.content


@pytest.mark.parametrize("view", ["articles:home", "articles:category"])
def test_an_empty_page_number_is_the_first_page_and_two_exists(client, library, view):
    kwargs = {"slug": library.category.slug} if view == "articles:category" else {}
    assert client.get(f"{reverse(view, kwargs=kwargs)}?page=").status_code == 200
    assert client.get(f"{reverse(view, kwargs=kwargs)}?page=2").status_code == 200


@pytest.mark.parametrize("case", params(SAMPLE[::6]))
def test_a_hostile_reply_to_parameter_shows_the_article_page(client, library, case):
    Comment.objects.create(article=library, name="Ana", email="ana@example.com", body="Hi.", status="approved")
    response = client.get(f"{library.get_absolute_url()}?reply_to={case.encoded()}")
    assert response.status_code == 200


@pytest.mark.parametrize("case", params(SAMPLE[::6]))
def test_a_hostile_before_parameter_on_earlier_comments_is_a_clear_404(client, library, case):
    Comment.objects.create(article=library, name="Ana", email="ana@example.com", body="Hi.", status="approved")
    url = reverse("comments:earlier", kwargs={"slug": library.slug})
    response = client.get(f"{url}?before={case.encoded()}")
    assert response.status_code == 404, response.status_code
    assert b"<h1>" in response.content


@pytest.mark.parametrize("value", PAGE_NUMBERS)
def test_a_before_value_that_is_no_thread_id_never_fails(client, library, value):
    Comment.objects.create(article=library, name="Ana", email="ana@example.com", body="Hi.", status="approved")
    response = client.get(f"{reverse('comments:earlier', kwargs={'slug': library.slug})}?before={value}")
    assert response.status_code in (302, 404), response.status_code


def _tampered_tokens():
    good = signing.dumps(1, salt="unsubscribe:comments.comment")
    payload, _sep, signature = good.rpartition(":")
    forged_payload = signing.dumps(2).rpartition(":")[0]
    legacy = signing.dumps("ana@example.com", salt="comments.unsubscribe", compress=True)
    legacy_payload, _sep, legacy_signature = legacy.rpartition(":")
    return {
        "legacy-flipped-signature": f"{legacy_payload}:{legacy_signature[:-1]}"
        f"{'A' if legacy_signature[-1] != 'A' else 'B'}",
        "flipped-signature": f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        "no-signature": payload,
        "other-salt": signing.dumps("ana@example.com", salt="another.purpose"),
        "other-email-same-signature": f"{forged_payload}:{signature}",
        "garbage": "not-a-token",
        "colons": ":::",
        "dots": "..",
        "long": "A" * 5000,
    }


@pytest.mark.parametrize("name", list(_tampered_tokens()))
@pytest.mark.parametrize("route", ["comments:unsubscribe", "topics:unsubscribe"])
def test_a_tampered_unsubscribe_link_changes_nothing_and_says_so(client, article, route, name):
    Comment.objects.create(article=article, name="Ana", email="ana@example.com", body="Hi.", notify_me=True)
    TopicSuggestion.objects.create(topic="Sleep", email="ana@example.com", notify_when_published=True)
    url = reverse(route, args=[_tampered_tokens()[name]])
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert Comment.objects.get().notify_me is True
    assert TopicSuggestion.objects.get().notify_when_published is True


@pytest.mark.parametrize("case", params(SAMPLE[::8]))
@pytest.mark.parametrize("route", ["comments:unsubscribe", "topics:unsubscribe"])
def test_a_garbage_unsubscribe_token_is_a_clear_4xx(client, db, route, case):
    token = case.encoded().replace("%2F", "_") or "x"
    response = client.get(f"{reverse(route, args=['TOKEN']).replace('TOKEN', token)}")
    assert 400 <= response.status_code < 500


VOTE_TARGETS = ["0", "-1", str(10**20), "abc", "1e3", "%00", "%3Cscript%3E"]


@pytest.mark.parametrize("target", VOTE_TARGETS)
def test_voting_for_a_topic_that_is_not_on_the_board_is_a_404(client, db, target):
    TopicSuggestion.objects.create(topic="Hidden new idea", status=TopicSuggestion.Status.NEW)
    response = client.post(f"/topics/{target}/vote/")
    assert response.status_code == 404
    assert TopicSuggestion.objects.get().votes == 0


def test_voting_for_a_new_or_spam_suggestion_is_a_404(client, db):
    for status in (TopicSuggestion.Status.NEW, TopicSuggestion.Status.SPAM, TopicSuggestion.Status.DECLINED):
        suggestion = TopicSuggestion.objects.create(topic=f"Idea {status}", status=status)
        assert client.post(reverse("topics:vote", args=[suggestion.pk])).status_code == 404
        suggestion.refresh_from_db()
        assert suggestion.votes == 0


@pytest.mark.parametrize("cookie", ["garbage", "1,2,3", "1,2,3:forged", "\x00", "9" * 5000])
def test_a_forged_vote_cookie_neither_breaks_nor_blocks_the_vote(client, db, cookie):
    suggestion = TopicSuggestion.objects.create(topic="Sleep", status=TopicSuggestion.Status.PLANNED)
    client.cookies["topic_votes"] = cookie
    response = client.post(reverse("topics:vote", args=[suggestion.pk]))
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.votes == 1


def test_a_vote_with_a_get_is_refused(client, db):
    suggestion = TopicSuggestion.objects.create(topic="Sleep", status=TopicSuggestion.Status.PLANNED)
    assert client.get(reverse("topics:vote", args=[suggestion.pk])).status_code == 405

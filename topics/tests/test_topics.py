"""Topic suggestions from the reader's side: the form, the policy, the board and the votes."""

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import make_article
from core.models import SiteSettings
from tests.support.submissions import google_unreachable, reader_post
from topics import votes
from topics.models import TopicSuggestion, TopicVote

pytestmark = pytest.mark.django_db

THANKS = "Thank you — we will review your suggestion."
BOARD = reverse("topics:board")
SUGGEST = reverse("topics:suggest")


SUGGESTION = {
    "topic": "Sleeping well with sciatica",
    "details": "Which positions ease the pain at night?",
    "name": "Rosa Reader",
    "email": "rosa@example.com",
    "notify_when_published": "on",
}


def suggestion_data(**overrides):
    return reader_post(SUGGESTION, **overrides)


def suggest(client, **overrides):
    return client.post(SUGGEST, suggestion_data(**overrides), follow=True)


def make_suggestion(**fields):
    fields.setdefault("topic", "Pacing daily activities")
    fields.setdefault("status", TopicSuggestion.Status.PLANNED)
    return TopicSuggestion.objects.create(**fields)


def vote(client, suggestion, address="203.0.113.7"):
    return client.post(reverse("topics:vote", args=[suggestion.pk]), REMOTE_ADDR=address, follow=True)


# --- The form and the submission policy ------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "expected_status", "expected_reasons", "expected_score"),
    [
        ({"score": 0.95}, "new", ["review_all"], 0.95),
        ({"score": 0.5}, "new", ["low_score"], 0.5),
        ({"score": 0.1}, "spam", ["spam_score"], 0.1),
        ({"honeypot": True}, "spam", ["honeypot"], 0.95),
        ({"token": ""}, "new", ["captcha_missing"], None),
        ({"action": "comment"}, "new", ["captcha_wrong_action"], 0.95),
        *google_unreachable("new", ["captcha_unverifiable"], None),
    ],
    ids=lambda value: str(value)[:40] if isinstance(value, dict) else None,
)
def test_every_policy_branch_stores_one_suggestion_and_thanks_the_reader_alike(
    client, google, recaptcha_keys, scenario, expected_status, expected_reasons, expected_score
):
    google.answer = {"success": True, "score": scenario.get("score", 0.95), "action": "suggest_topic"}
    google.answer["action"] = scenario.get("action", "suggest_topic")
    google.answer["hostname"] = "testserver"
    google.error = scenario.get("error")
    overrides = {"website": "http://spam.example"} if scenario.get("honeypot") else {}
    if "token" in scenario:
        overrides["captcha"] = scenario["token"]

    response = suggest(client, **overrides)

    assert response.status_code == 200
    assert THANKS in response.content.decode()
    suggestion = TopicSuggestion.objects.get()
    assert suggestion.status == expected_status
    assert suggestion.hold_reasons == expected_reasons
    assert suggestion.captcha_score == expected_score
    assert suggestion.ip_hash and suggestion.ip_hash != "127.0.0.1"


def test_without_captcha_keys_the_suggestion_is_kept_as_new_with_the_reason(client, google):
    suggest(client)

    suggestion = TopicSuggestion.objects.get()
    assert (suggestion.status, suggestion.hold_reasons) == ("new", ["captcha_not_configured"])
    assert google.calls == 0


def test_a_clean_suggestion_is_new_even_when_comments_are_auto_approved(client, google, recaptcha_keys, settings):
    settings.SUBMISSIONS_AUTO_APPROVE = True
    google.answer["action"] = "suggest_topic"

    suggest(client)

    assert TopicSuggestion.objects.get().status == TopicSuggestion.Status.NEW


def test_disallowed_words_send_a_suggestion_to_spam(client):
    site = SiteSettings.load()
    site.disallowed_words = "miracle pills"
    site.save()

    suggest(client, details="Where can I buy MIRACLE PILLS cheap?")

    assert TopicSuggestion.objects.get().status == "spam"


def test_a_suggestion_keeps_what_the_reader_wrote(client):
    suggest(client, topic="  Sleeping   well with sciatica ")

    suggestion = TopicSuggestion.objects.get()
    assert suggestion.topic == "Sleeping well with sciatica"
    assert (suggestion.name, suggestion.email, suggestion.notify_when_published) == (
        "Rosa Reader",
        "rosa@example.com",
        True,
    )


def test_a_missing_topic_is_shown_at_the_field_with_the_text_kept_and_nothing_stored(client):
    response = client.post(SUGGEST, suggestion_data(topic="   ", details="Which positions ease the pain?"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please tell us the topic you would like us to write about." in page
    assert "Which positions ease the pain?" in page
    assert 'value="rosa@example.com"' in page
    assert TopicSuggestion.objects.count() == 0


def test_asking_for_an_email_without_an_address_explains_what_is_missing(client):
    response = client.post(SUGGEST, suggestion_data(email=""))

    assert response.status_code == 400
    assert "Please enter your email address so we can tell you when the article is published." in (
        response.content.decode()
    )
    assert TopicSuggestion.objects.count() == 0


def test_a_bad_email_gets_the_same_message_as_the_comment_form(client):
    response = client.post(SUGGEST, suggestion_data(email="rosa-at-example"))

    assert response.status_code == 400
    assert "Please check your email address; it should look like name@example.com." in response.content.decode()


def test_email_consent_is_ignored_without_an_email_and_unticked_consent_is_kept(client):
    suggest(client, email="", notify_when_published=None)

    suggestion = TopicSuggestion.objects.get()
    assert (suggestion.email, suggestion.notify_when_published) == ("", False)


def test_too_many_suggestions_answer_429_with_the_text_kept(client, settings):
    settings.SUBMISSIONS_RATE_LIMIT = 2
    suggest(client)
    suggest(client)

    response = client.post(SUGGEST, suggestion_data(topic="A third idea in a row"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    summary = page.split('id="suggest_topic-errors"', 1)[1].split("</div>", 1)[0]
    assert re.search(r"You have sent several suggestions in a short time\..*try again in \d+ minutes?\.", summary)
    assert 'value="A third idea in a row"' in page
    assert TopicSuggestion.objects.count() == 2


def test_the_rate_limit_also_counts_per_email_across_addresses(client, settings):
    settings.SUBMISSIONS_RATE_LIMIT = 1
    client.post(SUGGEST, suggestion_data(), REMOTE_ADDR="198.51.100.1")

    response = client.post(SUGGEST, suggestion_data(), REMOTE_ADDR="198.51.100.2")

    assert response.status_code == 429


def test_moderators_hear_of_a_new_suggestion_but_not_of_spam(client, django_capture_on_commit_callbacks):
    site = SiteSettings.load()
    site.moderator_emails = "desk@clinic.example"
    site.save()

    with django_capture_on_commit_callbacks(execute=True):
        suggest(client)
        suggest(client, website="http://bot.example", email="bot@example.com")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@clinic.example"]
    assert "Sleeping well with sciatica" in mail.outbox[0].subject
    assert mail.outbox[0].subject.startswith("A topic suggestion awaits moderation")
    assert "/admin/topics/topicsuggestion/" in mail.outbox[0].body


# --- The call-to-action on article pages and the home page ------------------------------


def test_article_and_home_pages_offer_the_suggestion_call_to_action(client):
    article = make_article(slug="knee-pain")

    for url in (article.get_absolute_url(), reverse("articles:home")):
        page = client.get(url).content.decode()
        assert "What should we write about next?" in page
        assert f'action="{SUGGEST}#suggest_topic-errors"' in page  # an error answer opens at the summary
        assert 'data-recaptcha-action="suggest_topic"' in page
        assert f'name="next" value="{url}"' in page
        assert f'href="{BOARD}"' in page  # the footer's "Suggest a topic" and the CTA's board link


def test_a_suggestion_from_an_article_page_returns_there_with_the_thank_you(client):
    article = make_article(slug="knee-pain")

    response = suggest(client, next=article.get_absolute_url())

    assert response.redirect_chain == [(f"{article.get_absolute_url()}#topic-form-done", 302)]
    assert THANKS in response.content.decode()


def test_a_foreign_next_address_is_ignored(client):
    response = suggest(client, next="https://evil.example/")

    assert response.redirect_chain == [(f"{BOARD}#topic-form-done", 302)]


def test_the_forms_get_separate_ids_from_the_comment_form(client):
    article = make_article(slug="knee-pain")

    page = client.get(article.get_absolute_url()).content.decode()

    assert page.count('id="id_website"') == 1
    assert page.count('id="topic-website"') == 1


# --- The public board -------------------------------------------------------------------


def test_the_board_shows_only_planned_and_answered_topics_and_no_personal_data(client):
    answer = make_article(title="Sleep and back pain", slug="sleep-and-back-pain")
    draft = make_article(title="Unfinished draft", slug="draft", status=Article.Status.DRAFT)
    shown = {
        make_suggestion(topic="Planned topic", name="Paula Private", email="paula@example.com"),
        make_suggestion(topic="Answered topic", status="published", article=answer),
    }
    survivor = make_suggestion(topic="Survivor topic")
    for status in ("new", "under_review", "declined", "spam"):
        make_suggestion(topic=f"Hidden {status} topic", status=status)
    make_suggestion(topic="Hidden merged topic", merged_into=survivor)
    make_suggestion(topic="Hidden draft answer", status="published", article=draft)

    page = client.get(BOARD).content.decode()

    for suggestion in shown:
        assert suggestion.topic in page
    assert "Hidden" not in page
    assert "Paula" not in page and "paula@example.com" not in page
    assert f'href="{answer.get_absolute_url()}"' in page
    assert "Unfinished draft" not in page


def test_the_board_lists_the_newest_activity_first(client):
    older = make_suggestion(topic="Older plan")
    newer = make_suggestion(topic="Newer plan")
    page = client.get(BOARD).content.decode()
    assert page.index(newer.topic) < page.index(older.topic)

    vote(client, older)

    page = client.get(BOARD).content.decode()
    assert page.index(older.topic) < page.index(newer.topic)


@pytest.mark.parametrize("rows", [1, 40])
def test_the_board_costs_the_same_queries_with_1_or_40_topics_of_each_kind(client, rows, django_assert_num_queries):
    for n in range(rows):
        answer = make_article(title=f"Answer {n}", slug=f"answer-{n}")
        make_suggestion(topic=f"Planned {n}", votes=n)
        make_suggestion(topic=f"Answered {n}", status="published", article=answer)
    client.get(BOARD)  # warm the site settings and navigation caches

    # the planned topics, the answered topics with their articles
    with django_assert_num_queries(2):
        response = client.get(BOARD)

    assert response.status_code == 200
    assert response.content.decode().count("I want this too") == rows


def test_the_board_shows_vote_counts(client):
    make_suggestion(topic="Heat or ice?", votes=1)
    make_suggestion(topic="Walking aids", votes=12)

    page = client.get(BOARD).content.decode()

    assert "1 reader wants this" in page
    assert "12 readers want this" in page


# --- Votes ------------------------------------------------------------------------------


def test_a_vote_counts_once_per_client(client):
    suggestion = make_suggestion()

    first = vote(client, suggestion)
    second = vote(client, suggestion)

    suggestion.refresh_from_db()
    assert suggestion.votes == 1
    assert first.redirect_chain == [(f"{BOARD}#topic-{suggestion.pk}-done", 302)]
    assert "your vote for “Pacing daily activities” is counted" in first.content.decode()
    assert "You have already asked for “Pacing daily activities”" in second.content.decode()
    assert "1 reader wants this" in second.content.decode()


def test_the_signed_cookie_stops_a_second_vote_from_a_new_address(client):
    suggestion = make_suggestion()
    vote(client, suggestion, address="203.0.113.7")

    vote(client, suggestion, address="198.51.100.99")

    suggestion.refresh_from_db()
    assert suggestion.votes == 1


def test_the_address_stops_a_second_vote_without_the_cookie(client):
    suggestion = make_suggestion()
    vote(client, suggestion, address="203.0.113.7")
    client.cookies.clear()

    vote(client, suggestion, address="203.0.113.7")

    suggestion.refresh_from_db()
    assert suggestion.votes == 1


def test_a_vote_cookie_signed_over_a_year_ago_no_longer_counts_as_a_vote(client):
    suggestion = make_suggestion()
    signer = signing.get_cookie_signer(salt=votes.VOTE_COOKIE.name + votes.VOTE_COOKIE.salt)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 366 * 24 * 3600):
        client.cookies[votes.VOTE_COOKIE.name] = signer.sign(str(suggestion.pk))

    vote(client, suggestion, address="203.0.113.7")

    suggestion.refresh_from_db()
    assert suggestion.votes == 1


def test_a_tampered_vote_cookie_is_ignored_and_other_readers_count(client, django_user_model):
    suggestion = make_suggestion()
    client.cookies[votes.VOTE_COOKIE.name] = f"{suggestion.pk}:forged-signature"

    vote(client, suggestion, address="203.0.113.7")
    client.cookies.clear()
    vote(client, suggestion, address="198.51.100.8")

    suggestion.refresh_from_db()
    assert suggestion.votes == 2
    assert TopicVote.objects.filter(suggestion=suggestion).count() == 2


@pytest.mark.parametrize("status", ["new", "under_review", "declined", "spam", "published"])
def test_only_planned_topics_take_votes(client, status):
    suggestion = make_suggestion(status=status)

    response = client.post(reverse("topics:vote", args=[suggestion.pk]))

    assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.votes == 0


def test_votes_are_posts_only(client):
    suggestion = make_suggestion()

    assert client.get(reverse("topics:vote", args=[suggestion.pk])).status_code == 405


def test_votes_are_rate_limited(client, monkeypatch):
    monkeypatch.setattr(votes, "VOTE_RATE_LIMIT", 2)
    planned = [make_suggestion(topic=f"Plan {n}") for n in range(3)]
    vote(client, planned[0])
    vote(client, planned[1])

    response = client.post(reverse("topics:vote", args=[planned[2].pk]), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert re.search(
        r"You have sent many votes in a short time\. Please try again in \d+ minutes?\.", response.content.decode()
    )
    planned[2].refresh_from_db()
    assert planned[2].votes == 0


def test_the_vote_form_posts_with_a_csrf_token(client):
    suggestion = make_suggestion()

    page = client.get(BOARD).content.decode()

    vote_form = page[page.index(reverse("topics:vote", args=[suggestion.pk])) :]
    assert 'name="csrfmiddlewaretoken"' in vote_form[:400]


def test_a_vote_refreshes_the_cached_board(client, page_cache, django_capture_on_commit_callbacks):
    suggestion = make_suggestion()
    assert client.get(BOARD)["X-Page-Cache"] == "miss"
    assert client.get(BOARD)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        vote(client, suggestion)
    for own in ("messages", "topic_votes"):
        client.cookies.pop(own, None)
    response = client.get(BOARD)

    assert response["X-Page-Cache"] == "miss"
    assert "1 reader wants this" in response.content.decode()


def test_addresses_in_one_ipv6_64_vote_once_and_another_64_counts(client):
    suggestion = make_suggestion()
    vote(client, suggestion, address="2001:db8:1:2::1")
    client.cookies.clear()
    vote(client, suggestion, address="2001:db8:1:2:ffff::2")
    client.cookies.clear()
    suggestion.refresh_from_db()
    assert suggestion.votes == 1

    vote(client, suggestion, address="2001:db8:1:3::1")

    suggestion.refresh_from_db()
    assert suggestion.votes == 2


def test_a_suggestion_with_an_email_in_its_details_is_held_for_personal_details(client, db, recaptcha_keys, google):
    suggest(client, details="Please write to me at rosa.private@example.com about my back.")

    assert "personal_details" in TopicSuggestion.objects.get().hold_reasons


def test_a_suggestion_sent_from_a_comment_error_page_lands_on_a_page_that_opens(client):
    article = make_article(slug="knee-pain")
    error_page = client.post(reverse("comments:post", kwargs={"slug": article.slug}), reader_post({"body": " "}))
    assert error_page.status_code == 400
    next_url = re.search(r'name="next" value="([^"]*)"', error_page.content.decode())

    response = suggest(client, next=next_url[1] if next_url else None)

    assert response.status_code == 200
    assert THANKS in response.content.decode()

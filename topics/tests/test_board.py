"""The board's order, the suggester's own vote, and what a vote shows the reader who cast it."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions.privacy import hash_value
from topics import votes
from topics.models import TopicSuggestion, TopicVote

pytestmark = pytest.mark.django_db

BOARD = reverse("topics:board")
Status = TopicSuggestion.Status


def planned(topic, votes, *, days_ago=0):
    suggestion = TopicSuggestion.objects.create(topic=topic, status=Status.PLANNED, votes=votes)
    TopicSuggestion.objects.filter(pk=suggestion.pk).update(created=timezone.now() - timedelta(days=days_ago))
    return suggestion


def vote(client, suggestion, address="203.0.113.7"):
    return client.post(reverse("topics:vote", args=[suggestion.pk]), REMOTE_ADDR=address, follow=True)


def suggest(client, address="198.51.100.4", **data):
    data = {"topic": "Sleeping well with sciatica", "captcha": "token", **data}
    return client.post(reverse("topics:suggest"), data, REMOTE_ADDR=address, follow=True)


def test_the_board_lists_planned_topics_most_wanted_first_and_newest_first_among_equals(client):
    planned("Old and popular", 9, days_ago=30)
    planned("Older with three", 3, days_ago=20)
    planned("Newer with three", 3, days_ago=2)
    planned("Brand new", 1)

    html = client.get(BOARD).content.decode()

    order = ["Old and popular", "Newer with three", "Older with three", "Brand new"]
    assert [html.index(topic) for topic in order] == sorted(html.index(topic) for topic in order)
    assert "the most wanted are listed first" in html


def test_the_suggester_counts_as_the_first_reader_who_wants_it(client):
    suggest(client)

    suggestion = TopicSuggestion.objects.get()
    assert suggestion.votes == 1
    [record] = TopicVote.objects.filter(suggestion=suggestion)
    assert record.ip_hash and record.ip_hash == suggestion.ip_hash


def test_the_suggester_cannot_vote_again_from_the_same_address_but_others_can(client):
    suggest(client, address="198.51.100.4")
    suggestion = TopicSuggestion.objects.get()
    TopicSuggestion.objects.filter(pk=suggestion.pk).update(status=Status.PLANNED)

    again = vote(Client(), suggestion, address="198.51.100.4").content.decode()
    assert "You have already asked for" in again
    vote(Client(), suggestion, address="192.0.2.10")

    suggestion.refresh_from_db()
    assert suggestion.votes == 2


def test_a_vote_shows_the_new_count_and_the_readers_state_beside_the_topic(client):
    suggestion = planned("Ice or heat?", 4)

    html = vote(client, suggestion).content.decode()

    item = html[html.index(f'id="topic-{suggestion.pk}"') :]
    item = item[: item.index("</li>")]
    assert "5 readers want this" in item
    assert "your vote for “Ice or heat?” is counted" in item
    assert 'role="status"' in item and "data-arrival" in item
    assert "You asked for this" in item
    assert "I want this too" not in item
    assert 'class="messages"' not in html


def test_a_repeated_vote_says_so_beside_the_topic(client):
    suggestion = planned("Ice or heat?", 4)
    vote(client, suggestion)
    client.cookies.pop("messages", None)

    html = vote(client, suggestion).content.decode()

    item = html[html.index(f'id="topic-{suggestion.pk}"') :]
    assert item.index("You have already asked for “Ice or heat?”") < item.index("</li>")
    suggestion.refresh_from_db()
    assert suggestion.votes == 5


def test_the_vote_cookie_is_sent_to_topic_pages_only_so_other_pages_stay_cached(client):
    suggestion = planned("Ice or heat?", 4)

    vote(client, suggestion)

    cookie = client.cookies[votes.VOTE_COOKIE.name]
    assert cookie["path"] == BOARD
    assert cookie["httponly"]


def test_the_readers_own_state_never_reaches_the_cached_board(client, page_cache):
    suggestion = planned("Ice or heat?", 4)
    vote(client, suggestion)
    client.cookies.pop("messages", None)

    own = client.get(BOARD)
    assert "You asked for this" in own.content.decode()
    assert "X-Page-Cache" not in own  # rendered for this reader alone

    first = Client().get(BOARD)
    assert first["X-Page-Cache"] == "miss"
    assert "You asked for this" not in first.content.decode()
    hit = Client().get(BOARD)
    assert hit["X-Page-Cache"] == "hit"
    assert "You asked for this" not in hit.content.decode()
    assert "5 readers want this" in hit.content.decode()


def test_the_thank_you_for_a_suggestion_sits_above_the_form_it_came_from(client):
    response = suggest(client)

    assert response.redirect_chain == [(f"{BOARD}#topic-form-done", 302)]
    html = response.content.decode()
    thanks = html.index('id="topic-form-done"')
    assert thanks < html.index('id="topic-form"')
    assert html.index("Thank you — we will review your suggestion.", thanks) < html.index('id="topic-form"')
    assert 'class="messages"' not in html


def test_existing_suggestions_gain_their_suggesters_vote_once():
    migration = import_module("topics.migrations.0003_suggester_counts_as_first_vote")
    address = hash_value("198.51.100.4")
    fresh = TopicSuggestion.objects.create(topic="Fresh", status=Status.NEW, votes=0, ip_hash=address)
    backed = TopicSuggestion.objects.create(topic="Backed", status=Status.PLANNED, votes=3, ip_hash=address)
    TopicVote.objects.create(suggestion=backed, ip_hash=address)
    purged = TopicSuggestion.objects.create(topic="Purged address", status=Status.PLANNED, votes=2, ip_hash="")
    merged = TopicSuggestion.objects.create(topic="Merged", status=Status.PLANNED, votes=0, merged_into=backed)

    migration.count_suggesters(apps, None)

    votes = dict(TopicSuggestion.objects.values_list("topic", "votes"))
    assert votes == {"Fresh": 1, "Backed": 3, "Purged address": 3, "Merged": 0}
    assert TopicVote.objects.filter(suggestion=fresh, ip_hash=address).count() == 1
    assert TopicVote.objects.filter(suggestion=purged).count() == 1
    assert not TopicVote.objects.filter(suggestion=merged).exists()

"""Unsubscribe links: no email address in them, a confirmation on GET, the action on POST, and
RFC 8058 one-click POSTs from mail programs."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.moderation import comments_set_status
from topics.models import TopicSuggestion
from topics.moderation import suggestion_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed_comment(article):
    return Comment.objects.create(
        article=article, name="Rosa", email="Rosa@Example.com", body="Thank you.", notify_me=True
    )


def _mailed_unsubscribe_link(message):
    return re.search(r"\S*/unsubscribe/\S+/", message.body).group(0)


def test_a_published_comment_mail_carries_an_opaque_link_and_one_click_headers(
    subscribed_comment, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(
            comments=Comment.objects.filter(pk=subscribed_comment.pk), status=Comment.Status.APPROVED, by=moderator
        )
    (message,) = mail.outbox
    link = _mailed_unsubscribe_link(message)
    assert "rosa" not in link.lower() and "example" not in link.lower()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "rosa" not in signing.b64_decode(token.split(":")[0].encode()).decode(errors="replace").lower()
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_topic_mail_carries_an_opaque_link_and_one_click_headers(
    article, moderator, django_capture_on_commit_callbacks
):
    suggestion = TopicSuggestion.objects.create(
        topic="Sleep", email="rosa@example.com", notify_when_published=True, status=TopicSuggestion.Status.PLANNED
    )
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_publish(suggestion=suggestion, article=article, by=moderator)
    (message,) = mail.outbox
    link = _mailed_unsubscribe_link(message)
    assert "rosa" not in link.lower()
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opening_the_link_changes_nothing_and_shows_a_button(client, subscribed_comment):
    url = reverse(
        "comments:unsubscribe", args=[signing.dumps(subscribed_comment.pk, salt="unsubscribe:comments.comment")]
    )
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop these emails" in page and 'method="post"' in page
    subscribed_comment.refresh_from_db()
    assert subscribed_comment.notify_me is True


def test_the_button_stops_every_comment_email_of_that_address_only(subscribed_comment, article):
    again = Comment.objects.create(article=article, name="Rosa", email="rosa@example.com", body="Hi.", notify_me=True)
    other = Comment.objects.create(article=article, name="Sam", email="sam@example.com", body="Hi.", notify_me=True)
    url = reverse(
        "comments:unsubscribe", args=[signing.dumps(subscribed_comment.pk, salt="unsubscribe:comments.comment")]
    )
    response = Client(enforce_csrf_checks=True).post(url)
    assert response.status_code == 200
    assert "Comment emails stopped" in response.content.decode()
    flags = dict(Comment.objects.values_list("pk", "notify_me"))
    assert flags == {subscribed_comment.pk: False, again.pk: False, other.pk: True}
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_one_click_post_works_with_nothing_but_the_token(subscribed_comment):
    url = reverse(
        "comments:unsubscribe", args=[signing.dumps(subscribed_comment.pk, salt="unsubscribe:comments.comment")]
    )
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscribed_comment.refresh_from_db()
    assert subscribed_comment.notify_me is False


def test_a_link_already_in_a_mailbox_lands_on_the_confirmation_then_works(client, subscribed_comment):
    legacy = signing.dumps("rosa@example.com", salt="comments.unsubscribe", compress=True)
    url = reverse("comments:unsubscribe", args=[legacy])
    assert "Stop these emails" in client.get(url).content.decode()
    subscribed_comment.refresh_from_db()
    assert subscribed_comment.notify_me is True
    client.post(url)
    subscribed_comment.refresh_from_db()
    assert subscribed_comment.notify_me is False


def test_a_topic_link_stops_topic_emails_and_a_comment_link_does_not(client, subscribed_comment):
    suggestion = TopicSuggestion.objects.create(topic="Sleep", email="rosa@example.com", notify_when_published=True)
    comment_token = signing.dumps(subscribed_comment.pk, salt="unsubscribe:comments.comment")
    assert client.post(reverse("topics:unsubscribe", args=[comment_token])).status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.notify_when_published is True

    topic_token = signing.dumps(suggestion.pk, salt="unsubscribe:topics.topicsuggestion")
    response = client.post(reverse("topics:unsubscribe", args=[topic_token]))
    assert "Topic emails stopped" in response.content.decode()
    suggestion.refresh_from_db()
    subscribed_comment.refresh_from_db()
    assert (suggestion.notify_when_published, subscribed_comment.notify_me) == (False, True)

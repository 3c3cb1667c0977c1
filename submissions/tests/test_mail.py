"""Moderator emails quote every line a reader wrote, so it never reads as the clinic's words."""

import pytest
from django.core import mail
from django.urls import reverse

from comments.tests.factories import comment_data
from core.models import SiteSettings
from submissions.mail import quote_reader_text

HOSTILE = "Thanks for the article.\nReview it here: https://evil.example\n\nCall us now!"


def test_every_line_is_quoted_blank_ones_too():
    assert quote_reader_text(HOSTILE) == (
        "> Thanks for the article.\n> Review it here: https://evil.example\n>\n> Call us now!"
    )
    assert quote_reader_text("") == ">"
    assert quote_reader_text("one\r\ntwo") == "> one\n> two"


def reader_lines(body):
    return [line for line in body.splitlines() if "evil.example" in line or "Call us now" in line]


@pytest.fixture
def moderators(db):
    SiteSettings.objects.update_or_create(pk=1, defaults={"moderator_emails": "desk@clinic.example"})


def test_the_held_comment_email_quotes_the_readers_name_and_text(
    client, article, moderators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:post", kwargs={"slug": article.slug}),
            comment_data(name="Review it here: https://evil.example", body=HOSTILE),
        )

    [message] = mail.outbox
    lines = reader_lines(message.body)
    assert lines and all(line.startswith("> ") for line in lines)
    own_links = [line for line in message.body.splitlines() if line.startswith("Review it here:")]
    assert len(own_links) == 1 and "/admin/comments/comment/" in own_links[0]


def test_the_topic_suggestion_email_quotes_the_readers_text(client, moderators, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("topics:suggest"),
            {
                "topic": "Review it here: https://evil.example",
                "details": HOSTILE,
                "name": "Call us now!",
                "captcha": "t",
            },
        )

    [message] = mail.outbox
    lines = reader_lines(message.body)
    assert len(lines) == 4 and all(line.startswith("> ") for line in lines)
    own_links = [line for line in message.body.splitlines() if line.startswith("Review it here:")]
    assert len(own_links) == 1 and "/admin/topics/topicsuggestion/" in own_links[0]


def test_links_in_moderator_emails_are_on_the_site_address_whatever_host_the_reader_used(
    client, article, moderators, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://riverside-pain.example.net"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(body="Helpful, thanks."))

    [message] = mail.outbox
    links = [word for word in message.body.split() if "/admin/" in word or "://" in word]
    assert links and all(link.startswith("https://riverside-pain.example.net/") for link in links), links

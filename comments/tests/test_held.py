"""A reader's own held comment: shown to the browser that posted it, in place, for an hour only."""

import pickle
import time
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse

from comments.held import HELD_COOKIE, own_held_comments
from comments.models import Comment
from comments.tests.factories import comment_data, make_comment
from comments.threads import thread_page
from pagecache import storage

pytestmark = pytest.mark.django_db

HELD_NOTE = "Awaiting moderation — only you can see this."
BODY = "My own words, still waiting for the clinic."


def post(client, article, **overrides):
    return client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(body=BODY, **overrides))


def signed(value, *, at=None):
    signer = signing.get_cookie_signer(salt=HELD_COOKIE.name + HELD_COOKIE.salt)
    if at is None:
        return signer.sign(value)
    with mock.patch("django.core.signing.time.time", return_value=at):
        return signer.sign(value)


def test_after_posting_the_reader_lands_on_their_own_held_comment_in_the_thread(client, article):
    response = post(client, article)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    html = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert HELD_NOTE in html
    assert BODY in html
    assert "data-arrival" in html and "js/arrival.js" in html
    assert "awaiting moderation" not in html[: html.index('id="comments"')].lower()  # nothing at the top


def test_the_cookie_names_comment_ids_only_never_the_email(client, article):
    post(client, article)

    value = client.cookies[HELD_COOKIE.name].value
    assert "ana@example.com" not in value and "@" not in value
    assert value.split(":")[0] == str(Comment.objects.get().pk)
    assert client.cookies[HELD_COOKIE.name]["max-age"] == 3600
    assert client.cookies[HELD_COOKIE.name]["httponly"]


def test_another_reader_never_sees_the_held_comment(client, article):
    post(client, article)

    html = Client().get(article.get_absolute_url()).content.decode()
    assert BODY not in html
    assert HELD_NOTE not in html


def test_a_tampered_cookie_shows_nothing(client, article):
    someone_else = make_comment(article, body="Someone else's held words.", status=Comment.Status.PENDING)
    mine = make_comment(article, body=BODY, status=Comment.Status.PENDING)
    reader = Client()
    reader.cookies[HELD_COOKIE.name] = signed(str(mine.pk)).replace(str(mine.pk), str(someone_else.pk), 1)
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Someone else's held words." not in html
    assert BODY not in html

    reader.cookies[HELD_COOKIE.name] = str(someone_else.pk)  # unsigned
    assert "Someone else's held words." not in reader.get(article.get_absolute_url()).content.decode()


def test_an_expired_cookie_shows_nothing(article):
    mine = make_comment(article, body=BODY, status=Comment.Status.PENDING)
    reader = Client()
    reader.cookies[HELD_COOKIE.name] = signed(str(mine.pk), at=time.time() - 3601)
    assert BODY not in reader.get(article.get_absolute_url()).content.decode()

    reader.cookies[HELD_COOKIE.name] = signed(str(mine.pk))
    assert BODY in reader.get(article.get_absolute_url()).content.decode()


def test_a_comment_older_than_an_hour_is_not_shown_even_with_a_fresh_cookie(article):
    mine = make_comment(article, body=BODY, status=Comment.Status.PENDING)
    Comment.objects.filter(pk=mine.pk).update(created=mine.created.replace(year=mine.created.year - 1))
    reader = Client()
    reader.cookies[HELD_COOKIE.name] = signed(str(mine.pk))
    assert BODY not in reader.get(article.get_absolute_url()).content.decode()


def test_spam_looks_held_to_its_author_and_removed_or_approved_comments_lose_the_mark(client, article):
    post(client, article, website="http://spam.example")  # the honeypot: spam
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert HELD_NOTE in client.get(article.get_absolute_url()).content.decode()

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.REMOVED)
    assert BODY not in client.get(article.get_absolute_url()).content.decode()

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert BODY in html and HELD_NOTE not in html


def test_a_held_reply_shows_under_the_comment_it_answers(client, article):
    parent = make_comment(article, body="The first question.")

    response = post(client, article, parent=parent.pk)

    reply = Comment.objects.get(parent=parent)
    html = client.get(response["Location"]).content.decode()
    replies = html[html.index(f'id="comment-{parent.pk}"') :]
    assert replies.index(f'id="comment-{reply.pk}"') < replies.index("</ol>")
    assert HELD_NOTE in replies


def test_the_held_comment_page_is_never_stored_in_the_page_cache(client, article, page_cache):
    response = post(client, article)

    own = client.get(response["Location"])
    assert BODY in own.content.decode()
    assert "X-Page-Cache" not in own  # answered for this reader alone
    fresh = Client().get(article.get_absolute_url())
    assert fresh["X-Page-Cache"] == "miss"
    assert BODY not in fresh.content.decode()
    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    stored = [pickle.loads(raw)["content"] for raw in caches["pages"]._cache.values()]  # noqa: S301
    stored += storage.local_copies.contents()
    assert stored
    assert all(BODY.encode() not in content and HELD_NOTE.encode() not in content for content in stored)


def test_a_published_comment_says_so_beside_itself(client, article, settings, google, recaptcha_keys):
    settings.SUBMISSIONS_AUTO_APPROVE = True

    response = post(client, article)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    html = client.get(response["Location"]).content.decode()
    own = html[html.index(f'id="comment-{comment.pk}"') :]
    assert own.index("Your comment is published") < own.index("</article>")
    assert 'class="messages"' not in html


def test_a_held_comment_loads_the_fields_a_public_one_shows_from_one_list(article):
    """A field added to the thread must reach held comments too: both read Comment.SHOWN_FIELDS."""
    public = make_comment(article, body="Public words.")
    held = make_comment(article, body=BODY, status=Comment.Status.PENDING)
    request = RequestFactory().get("/")
    request.COOKIES[HELD_COOKIE.name] = signed(str(held.pk))
    fewer = [name for name in Comment.SHOWN_FIELDS if name != "is_staff_reply"]

    with mock.patch.object(Comment, "SHOWN_FIELDS", fewer):
        [shown_held] = own_held_comments(request, article.pk)
        [shown_public] = thread_page(article.pk).threads

    assert shown_public.pk == public.pk
    assert shown_held.get_deferred_fields() == shown_public.get_deferred_fields()
    assert "is_staff_reply" in shown_held.get_deferred_fields()

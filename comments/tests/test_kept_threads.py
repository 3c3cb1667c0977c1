"""The newest comment threads are kept rendered between requests: an approval or a removal shows on
the next render, and nothing of one reader's (a reply form, a held comment, a form with errors)
is ever kept or shown to another. The page cache is off in these tests."""

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from comments.held import HELD_COOKIE
from comments.models import Comment
from comments.moderation import comments_set_status
from comments.tests.factories import comment_data, make_comment

pytestmark = pytest.mark.django_db


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def kept_threads():
    return [key for key in caches["fragments"]._cache if "fragment:comment-threads:" in key]


def moderator():
    return User.objects.create_user("moderator", password="a-long-password-1234", is_staff=True)


def test_the_threads_are_kept_after_the_first_render(client, article):
    make_comment(article, body="Walking helped me.")
    page(client, article)

    assert len(kept_threads()) == 1
    assert "Walking helped me." in page(client, article)


def test_an_approved_comment_shows_on_the_next_render(client, article):
    make_comment(article, body="First.")
    waiting = make_comment(article, status=Comment.Status.PENDING, body="Heat helps me sleep.")
    assert "Heat helps me sleep." not in page(client, article)

    comments_set_status(comments=Comment.objects.filter(pk=waiting.pk), status=Comment.Status.APPROVED, by=moderator())

    html = page(client, article)
    assert "Heat helps me sleep." in html
    assert "2 comments" in html


def test_an_approved_reply_shows_on_the_next_render(client, article):
    head = make_comment(article, body="A question.")
    reply = make_comment(article, parent=head, status=Comment.Status.PENDING, body="Our answer.")
    assert "Our answer." not in page(client, article)

    reply.status = Comment.Status.APPROVED
    reply.save()

    assert "Our answer." in page(client, article)


def test_a_comment_moved_to_spam_or_deleted_leaves_on_the_next_render(client, article):
    spam = make_comment(article, body="Buy cheap pills.")
    rude = make_comment(article, body="A rude remark.")
    assert "Buy cheap pills." in page(client, article)

    comments_set_status(comments=Comment.objects.filter(pk=spam.pk), status=Comment.Status.SPAM, by=moderator())
    html = page(client, article)
    assert "Buy cheap pills." not in html and "A rude remark." in html

    rude.delete()
    assert "A rude remark." not in page(client, article)


def test_closing_comments_removes_the_reply_links_on_the_next_render(client, article):
    head = make_comment(article, body="A question.")
    assert f"?reply_to={head.pk}" in page(client, article)

    article.comments_open = False
    article.save()

    html = page(client, article)
    assert f"?reply_to={head.pk}" not in html
    assert "Comments on this article are closed" in html


def test_a_reply_form_is_never_shown_to_the_next_reader(article):
    head = make_comment(article, name="Maria", body="A question.")
    plain = page(Client(), article)  # the threads are kept now

    replying = page(Client(), article, f"?reply_to={head.pk}")
    after = page(Client(), article)

    heading = '<h3 id="comment-form-heading">Reply to Maria'
    assert heading in replying and f'name="parent" value="{head.pk}"' in replying
    assert heading not in after and f'name="parent" value="{head.pk}"' not in after
    assert 'class="comment-reply-form"' not in after
    assert after.count('id="comment-form"') == plain.count('id="comment-form"') == 1


def test_a_held_comment_is_shown_to_its_author_only_and_never_kept(article):
    make_comment(article, body="Approved words.")
    page(Client(), article)  # the threads are kept now
    held = make_comment(article, status=Comment.Status.PENDING, body="My own held words.")
    author = Client()
    signer = signing.get_cookie_signer(salt=HELD_COOKIE.name + HELD_COOKIE.salt)
    author.cookies[HELD_COOKIE.name] = signer.sign(str(held.pk))

    mine = page(author, article)
    someone_else = page(Client(), article)

    assert "My own held words." in mine and "Approved words." in mine
    assert "My own held words." not in someone_else and "Approved words." in someone_else


def test_a_form_with_errors_is_never_shown_to_the_next_reader(article):
    make_comment(article, body="Approved words.")
    page(Client(), article)
    typed = "My private story about my back, typed with care."
    response = Client().post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(name="", body=typed))
    assert response.status_code == 400 and typed in response.content.decode()
    assert "Approved words." in response.content.decode()

    html = page(Client(), article)

    assert typed not in html and 'role="alert"' not in html


def test_two_readers_get_their_own_csrf_tokens_with_the_kept_threads(article):
    make_comment(article, body="Approved words.")
    first, second = page(Client(), article), page(Client(), article)

    token = 'name="csrfmiddlewaretoken" value="'
    assert len(kept_threads()) == 1
    assert first.split(token)[1][:64] != second.split(token)[1][:64]

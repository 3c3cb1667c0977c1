"""The heading above the thread counts what the reader sees, their own held comment included."""

import re

import pytest
from django.urls import reverse

from comments.tests.factories import comment_data, make_comment
from comments.threads import comment_count_heading

pytestmark = pytest.mark.django_db


def heading(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'<h2 id="comments-heading">(.*?)</h2>', html).group(1)


def post(client, article, **overrides):
    client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(**overrides))


def test_a_readers_only_held_comment_is_counted_as_theirs(client, article):
    post(client, article)

    assert heading(client, article) == "1 comment awaiting moderation: yours"


def test_published_comments_and_the_readers_held_one_are_counted_apart(client, article):
    for _ in range(3):
        make_comment(article)
    post(client, article)

    assert heading(client, article) == "3 comments, and 1 awaiting moderation: yours"


def test_other_readers_see_only_the_published_count(client, article):
    make_comment(article)
    post(client, article)
    client.cookies.clear()

    assert heading(client, article) == "1 comment"


@pytest.mark.parametrize(
    ("shown", "held", "words"),
    [
        (0, 0, "0 comments"),
        (1, 0, "1 comment"),
        (0, 2, "2 comments awaiting moderation: yours"),
        (1, 1, "1 comment, and 1 awaiting moderation: yours"),
        (1200, 2, "1,200 comments, and 2 awaiting moderation: yours"),
    ],
)
def test_the_heading_words(shown, held, words):
    assert comment_count_heading(shown, held) == words

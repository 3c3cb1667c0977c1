"""Demo comments for seed_demo: published, with one clinic reply, and safe to re-run."""

import io

import pytest

from articles.tests.factories import make_article
from comments.demo import seed as seed_comments
from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_seed_comments_adds_approved_comments_and_a_clinic_reply_once():
    make_article(slug="interventional-treatments-lower-back-pain")
    make_article(slug="keeping-a-headache-diary")

    seed_comments(io.StringIO())
    first_count = Comment.objects.count()
    seed_comments(io.StringIO())

    assert Comment.objects.count() == first_count == 4
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    reply = Comment.objects.get(is_staff_reply=True)
    assert reply.parent is not None and reply.body_html.startswith("<p>")


def test_seed_comments_falls_back_to_the_newest_articles_under_other_slugs():
    make_article()

    seed_comments(io.StringIO())

    assert Comment.objects.count() == 3

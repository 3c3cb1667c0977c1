"""The review state of an article with a long history reads the text of only the revisions it
compares: from the newest one approved or sent back to the newest one, never every version kept."""

from contextlib import contextmanager

import pytest
from django.db.models.signals import post_init
from django.urls import reverse

from articles.review import (
    ReviewState,
    article_save_draft,
    medical_review,
    medical_reviews,
    review_approve,
    review_submit,
)
from articles.tests.people import back_pain_article, login, rita_reyes
from revisions.models import Revision

pytestmark = pytest.mark.django_db


@contextmanager
def texts_read():
    """The numbers of the revisions whose content was read meanwhile."""
    numbers = set()

    def record(sender, instance, **kwargs):
        if "content" not in instance.get_deferred_fields():
            numbers.add(instance.number)

    post_init.connect(record, sender=Revision)
    try:
        yield numbers
    finally:
        post_init.disconnect(record, sender=Revision)


@pytest.fixture
def long_history(editor, reviewer):
    """A live article (revision 1) edited ten times, revision 11 approved, then its address changed
    (revision 12): still approved."""
    article = back_pain_article(reviewer=rita_reyes(reviewer))
    for n in range(10):
        article.body = f"## Moving\n\nWalk {n + 1} times a day."
        article_save_draft(article=article, user=editor)
    review_submit(article=article, user=editor)
    review_approve(article=article, revision=Revision.objects.for_object(article).first(), user=reviewer)
    article.slug = f"{article.slug}-moved"
    article_save_draft(article=article, user=editor)
    return article


def test_the_review_state_reads_only_the_revisions_since_the_newest_judgement(long_history):
    with texts_read() as numbers:
        assert medical_review(long_history).state == ReviewState.APPROVED
    assert numbers == {11, 12}

    with texts_read() as numbers:
        assert medical_reviews([long_history])[long_history.pk].state == ReviewState.APPROVED
    assert numbers == {11, 12}


def test_the_review_screen_and_the_change_form_read_no_older_texts(long_history, editor):
    for screen in ("admin:articles_article_review", "admin:articles_article_change"):
        with texts_read() as numbers:
            assert login(editor).get(reverse(screen, args=[long_history.pk])).status_code == 200
        assert numbers <= {1, 11, 12}, screen  # the live text, the approved one and the newest

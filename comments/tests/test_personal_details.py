"""A comment holding a reader's personal details is stored but never published by its score."""

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.tests.factories import comment_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def auto_approve(settings):
    settings.SUBMISSIONS_AUTO_APPROVE = True


def post(client, article, **overrides):
    return client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(**overrides), follow=True)


def test_a_high_score_with_a_phone_number_is_held_for_personal_details(client, article, recaptcha_keys, auto_approve):
    response = post(client, article, body="The nurse can ring me on 07700 900123 about my injection.")

    comment = Comment.objects.get()
    assert comment.captcha_score == 0.95
    assert (comment.status, comment.hold_reasons) == ("pending", ["personal_details"])
    page = response.content.decode()
    assert "For your privacy, your comment waits for our team" in page
    assert "a phone number" in page
    # The message is placed in the reader's held comment, where the redirect lands.
    held = page.split(f'id="comment-{comment.pk}"', 1)[1].split("</article>", 1)[0]
    assert "a phone number" in held


def test_a_clean_comment_hears_nothing_about_privacy(client, article, recaptcha_keys, auto_approve):
    response = post(client, article, body="Take 2 tablets twice a day; my L4-L5 disc is better since 2019.")

    assert Comment.objects.get().status == "approved"
    assert "your comment waits for our team" not in response.content.decode()


def test_a_phone_number_in_the_name_holds_the_comment_too(client, article, recaptcha_keys, auto_approve):
    post(client, article, name="Ana 07700 900123")

    assert (Comment.objects.get().status, Comment.objects.get().hold_reasons) == ("pending", ["personal_details"])

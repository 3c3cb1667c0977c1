"""Readers report a published comment; three readers take it off the site until a moderator decides."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentReport
from comments.moderation import comments_set_status
from comments.tests.factories import make_comment
from tests.support.submissions import reader_post

pytestmark = pytest.mark.django_db

THANKS = "Thank you for telling us. Our team will read this comment again."
HIDDEN = "The comment is hidden until our team has read it."


def report(client, comment, address="203.0.113.7", follow=True, **overrides):
    data = reader_post({"reason": "misinformation", "text": ""}, **overrides)
    return client.post(reverse("comments:report", args=[comment.pk]), data, REMOTE_ADDR=address, follow=follow)


def test_a_reader_reports_a_comment_and_is_thanked_beside_it(client, article):
    comment = make_comment(article, body="Stop all your medicines at once.")

    response = report(client, comment)

    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    page = response.content.decode()
    inside = page.split(f'id="comment-{comment.pk}"', 1)[1].split("</article>", 1)[0]
    assert THANKS in inside and 'role="status"' in inside
    saved = CommentReport.objects.get()
    assert (saved.comment, saved.reason) == (comment, "misinformation")
    assert len(saved.reporter_hash) == 64 and "203.0.113.7" not in saved.reporter_hash


def test_one_reader_counts_once_by_address_or_by_browser(client, article):
    comment = make_comment(article)

    report(client, comment, address="203.0.113.7")
    report(Client(), comment, address="203.0.113.7")  # same address, another browser
    report(client, comment, address="198.51.100.9")  # same browser, another address

    assert CommentReport.objects.count() == 1
    assert Comment.objects.get().status == "approved"


def test_three_readers_hide_the_comment_until_a_moderator_decides(article, moderator, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 3
    comment = make_comment(article, body="Buy my miracle cure.")
    url = article.get_absolute_url()
    assert "miracle cure" in Client().get(url).content.decode()

    for number, address in enumerate(["203.0.113.1", "203.0.113.2", "203.0.113.3"], start=1):
        response = report(Client(), comment, address=address, reason="spam")
        comment.refresh_from_db()
        assert comment.status == ("pending" if number == 3 else "approved")

    assert HIDDEN in response.content.decode()
    assert "reported" in comment.hold_reasons
    assert "miracle cure" not in Client().get(url).content.decode()  # the cached page was dropped

    comments_set_status(comments=Comment.objects.filter(pk=comment.pk), status="approved", by=moderator)
    report(Client(), comment, address="203.0.113.4")
    comment.refresh_from_db()
    assert comment.status == "approved"  # earlier reports were decided on


def test_something_else_needs_a_few_words(client, article):
    comment = make_comment(article)

    response = report(client, comment, reason="other", text="  ")

    assert response.status_code == 400
    assert CommentReport.objects.count() == 0
    assert "Please tell us in a few words what is wrong." in response.content.decode()


def test_a_report_with_an_error_comes_back_open_under_the_comment_with_the_text_kept(client, article):
    comment = make_comment(article)
    make_comment(article, body="Another comment")

    response = report(client, comment, follow=False, reason=None, text="He tells readers to stop their pills.")

    assert response.status_code == 400
    html = response.content.decode()
    inside = html.split(f'id="comment-{comment.pk}"', 1)[1].split("</article>", 1)[0]
    assert f'<details class="comment-report" id="comment-{comment.pk}-report" open>' in inside
    assert "Please choose what is wrong with the comment." in inside and 'role="alert"' in inside
    assert ">He tells readers to stop their pills.</textarea>" in inside
    assert html.count(" open>") == 1  # the other comment's report control stays closed


@pytest.mark.parametrize("tampered", [{"reason": "not-a-reason"}, {"reason": None}, {"text": "x" * 501}])
def test_a_tampered_report_is_refused_with_a_message(client, article, tampered):
    comment = make_comment(article)

    response = report(client, comment, **tampered)

    assert response.status_code == 400
    assert CommentReport.objects.count() == 0


def test_a_bot_filling_the_honeypot_is_thanked_but_not_counted(client, article):
    comment = make_comment(article)

    response = report(client, comment, website="http://spam.example")

    assert THANKS in response.content.decode()
    assert CommentReport.objects.count() == 0


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_only_published_comments_can_be_reported(client, article, status):
    comment = make_comment(article, status=status)

    assert report(client, comment, follow=False).status_code == 404


def test_reports_are_rate_limited(client, article, settings):
    settings.SUBMISSIONS_RATE_LIMIT = 2
    comments = [make_comment(article) for _ in range(3)]

    statuses = [report(client, comment, follow=False).status_code for comment in comments]

    assert statuses == [302, 302, 429]
    assert CommentReport.objects.count() == 2


def test_get_is_not_allowed_on_the_report_address(client, article):
    assert client.get(reverse("comments:report", args=[make_comment(article).pk])).status_code == 405


def test_the_article_page_stays_cached_with_a_report_form_under_each_comment(article, settings):
    settings.PAGE_CACHE_SECONDS = 600
    comments = [make_comment(article) for _ in range(3)]
    url = article.get_absolute_url()

    first, second = Client().get(url), Client().get(url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    html = second.content.decode()
    for comment in comments:
        assert f'action="/comments/report/{comment.pk}/#comment-{comment.pk}-report"' in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 4 and len(set(tokens)) == 1 and "placeholder" not in tokens[0]


def test_a_report_from_the_cached_page_is_accepted_with_its_token(article, settings):
    settings.PAGE_CACHE_SECONDS = 600
    comment = make_comment(article)
    reader = Client(enforce_csrf_checks=True)
    Client().get(article.get_absolute_url())  # stored
    html = reader.get(article.get_absolute_url()).content.decode()
    token = re.search(rf'action="/comments/report/{comment.pk}/#.*?value="([A-Za-z0-9]+)"', html, re.S).group(1)

    response = reader.post(
        reverse("comments:report", args=[comment.pk]),
        reader_post({"reason": "abusive", "text": "", "csrfmiddlewaretoken": token}),
    )

    assert response.status_code == 302
    assert CommentReport.objects.filter(reason="abusive").count() == 1


def test_the_queue_shows_report_counts_and_reasons_and_filters_reported(moderator_client, article):
    reported = make_comment(article, body="Reported one")
    make_comment(article, body="Quiet one")
    for number, reason in enumerate(["spam", "spam", "abusive"]):
        CommentReport.objects.create(comment=reported, reason=reason, reporter_hash=f"{number:064d}")

    changelist = reverse("admin:comments_comment_changelist")
    page = moderator_client.get(changelist).content.decode()
    assert "3 reports" in page and "Spam or advertising ×2" in page

    only_reported = moderator_client.get(changelist, {"reported": "yes"}).content.decode()
    assert "Reported one" in only_reported and "Quiet one" not in only_reported
    not_reported = moderator_client.get(changelist, {"reported": "no"}).content.decode()
    assert "Quiet one" in not_reported and "Reported one" not in not_reported


def test_reports_older_than_the_address_retention_are_purged(article, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.SUBMISSIONS_IP_RETENTION_DAYS = 90
    comment = make_comment(article)
    old = CommentReport.objects.create(comment=comment, reason="spam", reporter_hash="a" * 64)
    CommentReport.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=91))
    CommentReport.objects.create(comment=comment, reason="spam", reporter_hash="b" * 64)

    call_command("purge_submission_data", verbosity=0)

    assert list(CommentReport.objects.values_list("reporter_hash", flat=True)) == ["b" * 64]


@pytest.fixture
def earlier(article, settings):
    """A comment shown on the page of earlier comments (one thread a page), with a newer one on the article."""
    settings.COMMENTS_THREADS_PER_PAGE = 1
    older = make_comment(article, body="An older comment")
    newer = make_comment(article, body="The newest comment")
    return older, newer


def test_a_rate_limited_report_on_a_page_of_earlier_comments_shows_that_page_with_the_message(
    client, earlier, settings
):
    older, newer = earlier
    settings.SUBMISSIONS_RATE_LIMIT = 1
    report(client, newer)

    response = report(client, older, follow=False, text="He sells a cure.")

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Earlier comments" in html
    inside = html.split(f'id="comment-{older.pk}"', 1)[1].split("</article>", 1)[0]
    assert re.search(r"You have sent several reports in a short time: please try again in \d+ minutes?\.", inside)
    assert ">He sells a cure.</textarea>" in inside
    assert CommentReport.objects.count() == 1


def test_a_report_with_an_error_on_a_page_of_earlier_comments_comes_back_open_there(client, earlier):
    older, _newer = earlier

    response = report(client, older, follow=False, reason=None, text="He tells readers to stop their pills.")

    assert response.status_code == 400
    html = response.content.decode()
    inside = html.split(f'id="comment-{older.pk}"', 1)[1].split("</article>", 1)[0]
    assert f'<details class="comment-report" id="comment-{older.pk}-report" open>' in inside
    assert "Please choose what is wrong with the comment." in inside
    assert ">He tells readers to stop their pills.</textarea>" in inside

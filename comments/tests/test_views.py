"""The public comment form through real requests: every submission is kept, none answers 500."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import make_article
from comments.models import Comment
from comments.tests.factories import comment_data, make_comment
from tests.support.submissions import google_unreachable

pytestmark = pytest.mark.django_db

AWAITING = "Awaiting moderation — only you can see this."


def post(client, article, **overrides):
    return client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(**overrides), follow=True)


def only_comment():
    assert Comment.objects.count() == 1
    return Comment.objects.get()


@pytest.fixture
def auto_approve(settings):
    settings.SUBMISSIONS_AUTO_APPROVE = True


@pytest.mark.parametrize(
    ("scenario", "expected_status", "expected_reasons", "expected_score"),
    [
        ({"score": 0.95}, "approved", [], 0.95),
        ({"score": 0.5}, "pending", ["low_score"], 0.5),
        ({"score": 0.1}, "spam", ["spam_score"], 0.1),
        ({"honeypot": True}, "spam", ["honeypot"], 0.95),
        ({"token": ""}, "pending", ["captcha_missing"], None),
        ({"action": "suggest_topic"}, "pending", ["captcha_wrong_action"], 0.95),
        ({"hostname": "evil.example"}, "pending", ["captcha_wrong_hostname"], 0.95),
        ({"invalid_token": True}, "pending", ["captcha_invalid"], None),
        *google_unreachable("pending", ["captcha_unverifiable"], None),
        ({"error": ConnectionResetError(104, "reset")}, "pending", ["captcha_unverifiable"], None),
        ({"raw": b"<html>not json</html>"}, "pending", ["captcha_unverifiable"], None),
        ({"raw": b'{"score": 0.9}'}, "pending", ["captcha_unverifiable"], None),
    ],
    ids=lambda value: str(value)[:40] if isinstance(value, dict) else None,
)
def test_every_captcha_outcome_stores_one_comment_with_its_reasons(
    client, article, google, recaptcha_keys, auto_approve, scenario, expected_status, expected_reasons, expected_score
):
    if "score" in scenario:
        google.answer["score"] = scenario["score"]
    if "action" in scenario:
        google.answer["action"] = scenario["action"]
    if "hostname" in scenario:
        google.answer["hostname"] = scenario["hostname"]
    if scenario.get("invalid_token"):
        google.answer = {"success": False, "error-codes": ["timeout-or-duplicate"]}
    google.error = scenario.get("error")
    google.raw = scenario.get("raw")
    overrides = {"website": "http://spam.example"} if scenario.get("honeypot") else {}
    if "token" in scenario:
        overrides["captcha"] = scenario["token"]

    response = post(client, article, **overrides)

    assert response.status_code == 200
    comment = only_comment()
    assert comment.status == expected_status
    assert comment.hold_reasons == expected_reasons
    assert comment.captcha_score == expected_score
    text = response.content.decode()
    if expected_status == "approved":
        assert "Your comment is published" in text
        assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    else:
        assert AWAITING in text
        assert "Your comment is published" not in text


def test_without_keys_the_comment_is_held_as_not_configured_and_google_is_never_called(client, article, google):
    response = post(client, article)

    comment = only_comment()
    assert (comment.status, comment.hold_reasons) == ("pending", ["captcha_not_configured"])
    assert google.calls == 0
    assert AWAITING in response.content.decode()


def test_with_auto_approval_off_a_clean_comment_waits_for_review(client, article, recaptcha_keys):
    post(client, article)

    assert (only_comment().status, only_comment().hold_reasons) == ("pending", ["review_all"])


def test_the_captcha_result_keeps_score_action_and_hostname_check(client, article, recaptcha_keys):
    post(client, article)

    comment = only_comment()
    assert (comment.captcha_score, comment.captcha_action, comment.captcha_hostname_ok) == (0.95, "comment", True)


def test_a_disallowed_word_sends_the_comment_to_spam(client, article, recaptcha_keys, auto_approve):
    from core.models import SiteSettings

    site = SiteSettings.load()
    site.disallowed_words = "cheap pills\ncasino"
    site.save()

    post(client, article, body="Buy CHEAP PILLS here")

    assert (only_comment().status, only_comment().hold_reasons) == ("spam", ["disallowed_word"])


def test_more_links_than_allowed_hold_the_comment(client, article, recaptcha_keys, auto_approve):
    post(client, article, body="See https://a.example https://b.example and www.c.example")

    assert (only_comment().status, only_comment().hold_reasons) == ("pending", ["too_many_links"])


def test_a_known_email_is_trusted_when_the_setting_allows(client, article, recaptcha_keys, settings):
    settings.SUBMISSIONS_TRUST_KNOWN_EMAILS = True
    make_comment(article, email="ana@example.com")

    post(client, article)

    assert Comment.objects.latest("id").status == "approved"


def test_the_address_is_stored_only_as_a_hash(client, article):
    client.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        comment_data(),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )

    comment = only_comment()
    assert len(comment.ip_hash) == 64 and "203.0.113.7" not in comment.ip_hash
    assert comment.user_agent == "TestBrowser/1.0"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Please enter your name here."),
        ({"body": "   "}, "Please enter your comment!"),
        ({"email": "not-an-email"}, "Please check your email address"),
        ({"name": "N" * 81}, "Please shorten your name to 80 characters or fewer"),
        ({"body": "B" * 5001}, "please shorten it to 5000 or fewer"),
    ],
)
def test_a_field_error_shows_the_article_with_the_message_and_keeps_the_text(client, article, overrides, message):
    data = comment_data(**{"name": "Ana Reader", "body": "My long story about my back, typed with care.", **overrides})
    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}), data)

    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert article.title in text  # the whole article page, not a bare form
    assert 'role="alert"' in text and 'aria-invalid="true"' in text
    kept = data["body"] if "body" not in overrides else data["name"]
    assert kept in text
    assert Comment.objects.count() == 0


def test_over_the_rate_limit_answers_429_with_the_text_kept(client, article, settings):
    settings.SUBMISSIONS_RATE_LIMIT = 2
    for _ in range(2):
        assert post(client, article).status_code == 200

    response = client.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        comment_data(body="A third thought I do not want to lose."),
    )

    assert response.status_code == 429
    text = response.content.decode()
    assert "A third thought I do not want to lose." in text
    assert re.search(r"please try again in \d+ minutes?\.", text)
    assert int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 2


def test_the_rate_limit_also_counts_per_email_across_addresses(client, article, settings):
    settings.SUBMISSIONS_RATE_LIMIT = 1
    url = reverse("comments:post", kwargs={"slug": article.slug})
    assert client.post(url, comment_data(), REMOTE_ADDR="198.51.100.1").status_code == 302

    response = client.post(url, comment_data(), REMOTE_ADDR="198.51.100.2")

    assert response.status_code == 429


def test_a_draft_article_refuses_comments(client):
    draft = make_article(status=Article.Status.DRAFT)

    response = client.post(reverse("comments:post", kwargs={"slug": draft.slug}), comment_data())

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_a_closed_article_refuses_comments_and_shows_a_note(client):
    closed = make_article(comments_open=False)

    response = client.post(reverse("comments:post", kwargs={"slug": closed.slug}), comment_data())

    assert response.status_code == 403
    assert "Comments on this article are closed" in response.content.decode()
    assert Comment.objects.count() == 0
    page = client.get(closed.get_absolute_url()).content.decode()
    assert 'id="comment-form"' not in page and "Comments on this article are closed" in page


def test_comments_close_by_themselves_after_the_configured_days(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = make_article(publish_at=timezone.now() - timedelta(days=31))

    assert client.post(reverse("comments:post", kwargs={"slug": old.slug}), comment_data()).status_code == 403
    assert 'id="comment-form"' not in client.get(old.get_absolute_url()).content.decode()


@pytest.mark.parametrize("parent", ["other_article", "pending", "reply", "missing"])
def test_a_tampered_parent_is_refused(client, article, parent):
    other = make_article()
    top = make_comment(article)
    parents = {
        "other_article": make_comment(other).pk,
        "pending": make_comment(article, status="pending").pk,
        "reply": make_comment(article, parent=top).pk,
        "missing": 999999,
    }
    before = Comment.objects.count()

    response = client.post(
        reverse("comments:post", kwargs={"slug": article.slug}), comment_data(parent=parents[parent])
    )

    assert response.status_code == 400
    assert "no longer available" in response.content.decode()
    assert Comment.objects.count() == before


def test_a_reply_to_an_approved_comment_is_stored_under_it(client, article):
    top = make_comment(article)

    post(client, article, parent=top.pk)

    assert Comment.objects.latest("id").parent == top


def test_get_is_not_allowed_on_the_post_address(client, article):
    assert client.get(reverse("comments:post", kwargs={"slug": article.slug})).status_code == 405


def test_approved_comments_show_oldest_first_with_replies_under_their_parent(client, article):
    first = make_comment(article, name="First reader", body="First!")
    second = make_comment(article, name="Second reader", body="Second.")
    make_comment(article, name="Clinic", body="Our answer.", parent=first, is_staff_reply=True)
    make_comment(article, name="Hidden reader", body="Still waiting.", status="pending")
    make_comment(article, name="Spammer", body="Buy now", status="spam")

    text = client.get(article.get_absolute_url()).content.decode()

    assert "3 comments" in text
    assert text.index("First!") < text.index("Our answer.") < text.index("Second.")
    assert "Clinic team" in text
    assert "Still waiting." not in text and "Buy now" not in text
    assert f'id="comment-{second.pk}"' in text


def test_xss_in_name_and_body_renders_inert(client, article):
    make_comment(
        article,
        name='<script>alert("n")</script>',
        body='<img src=x onerror=alert(1)> and <a href="javascript:alert(2)">x</a>\n\nhttps://example.org/"onmouseover=alert(3)',
    )

    text = client.get(article.get_absolute_url()).content.decode()

    assert '<script>alert("n")</script>' not in text
    assert "<img src=x" not in text and 'href="javascript:' not in text
    assert "&lt;script&gt;" in text
    assert 'rel="nofollow ugc noopener"' in text
    assert '"onmouseover' not in text


def test_a_comment_keeps_paragraphs_and_line_breaks(client, article):
    make_comment(article, body="Line one\nline two\n\nNew paragraph")

    text = client.get(article.get_absolute_url()).content.decode()

    assert "<p>Line one<br>line two</p>\n<p>New paragraph</p>" in text


def test_the_email_never_appears_on_public_pages(client, article):
    make_comment(article, email="secret.reader@example.com", body="Visible comment")
    make_comment(article, email="secret.reader@example.com", body="Second", notify_me=True)

    for url in [article.get_absolute_url(), reverse("articles:home"), reverse("articles:feed"), "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"secret.reader" not in response.content, url


def test_the_page_loads_no_google_script_without_keys(client, article):
    text = client.get(article.get_absolute_url()).content.decode()

    assert "google.com/recaptcha" not in text
    assert "data-recaptcha-sitekey" not in text
    assert 'data-recaptcha-action="comment"' in text


def test_with_keys_the_form_names_the_site_key_but_loads_no_script_on_page_load(client, article, recaptcha_keys):
    text = client.get(article.get_absolute_url()).content.decode()

    assert 'data-recaptcha-sitekey="test-site-key-not-google"' in text
    assert '<script src="https://www.google.com' not in text
    assert "<script>" not in text  # no inline script without a nonce


def test_reply_link_prefills_the_parent(client, article):
    top = make_comment(article, name="Ana")

    text = client.get(f"{article.get_absolute_url()}?reply_to={top.pk}").content.decode()

    assert "Reply to Ana" in text
    assert f'name="parent" value="{top.pk}"' in text


def test_links_on_an_error_page_lead_to_the_article_not_to_the_post_address(client, article):
    top = make_comment(article, name="Ana")

    response = client.post(
        reverse("comments:post", kwargs={"slug": article.slug}), comment_data(body="  ", parent=top.pk)
    )

    assert response.status_code == 400
    text = response.content.decode()
    reply = f"{article.get_absolute_url()}?reply_to={top.pk}#comment-form"
    assert f'href="{reply}"' in text
    assert f'href="{article.get_absolute_url()}#comment-form"' in text  # cancel the reply
    assert 'href="?reply_to=' not in text
    assert client.get(reply).status_code == 200


@pytest.mark.parametrize("closed_by", ["switch", "age"])
def test_a_comment_sent_as_comments_close_is_shown_back_to_copy(client, settings, closed_by):
    from datetime import timedelta

    from django.utils import timezone

    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    if closed_by == "switch":
        closed = make_article(comments_open=False)
    else:
        closed = make_article(publish_at=timezone.now() - timedelta(days=31))

    response = client.post(
        reverse("comments:post", kwargs={"slug": closed.slug}),
        comment_data(body="My long story about my back, <typed> with care."),
    )

    assert response.status_code == 403
    html = response.content.decode()
    unsent = html.split('id="comment-errors"', 1)[1].split("</div>", 1)[0]
    assert "Comments on this article are closed" in unsent
    assert "They closed before your comment arrived, so it was not published." in unsent
    kept = re.search(r"<textarea [^>]*readonly[^>]*>(.*)</textarea>", unsent)
    assert kept[1] == "My long story about my back, &lt;typed&gt; with care."
    assert Comment.objects.count() == 0

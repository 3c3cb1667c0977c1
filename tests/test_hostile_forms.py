"""Every public form field gets the hostile corpus: kept exactly, or refused with a clear 4xx.

One request per case per field. The rendered pages are checked once per field with every
stored script case on them, against the same page with harmless content.
"""

import pytest
from django.urls import reverse

from comments.models import Comment
from submissions.text import render_plain_text
from tests.hostile.corpus import CORPUS, SAMPLE, SCRIPT_CASES, Case, by_family, params
from tests.hostile.forms import (
    REFUSED,
    assert_kept_or_refused,
    expected_line,
    expected_text,
    form_body,
    post_case,
)
from tests.hostile.markup import active_markup, injected_markup
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]

COMMENT = {"name": "Ana Reader", "email": "ana@example.com", "body": "This helped me.", "website": ""}


def comment_url(article):
    return reverse("comments:post", kwargs={"slug": article.slug})


_REFUSED_PAGES = {}


def refused_page(client, url, data):
    """The form page shown again after a harmless refusal, fetched once per form (the markup is fixed)."""
    if url not in _REFUSED_PAGES:
        response = client.post(url, data)
        assert response.status_code == 400
        _REFUSED_PAGES[url] = response.content
    return _REFUSED_PAGES[url]


def only_comment(article):
    return Comment.objects.filter(article=article).first()


def expected_email(value):
    stripped = value.strip()
    if any(ch in stripped for ch in "\r\n\x00") or not stripped:
        return REFUSED
    return stripped


# --- Comment form ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", params(CORPUS))
def test_comment_body_is_stored_exactly_or_refused(client, article, case):
    response = post_case(client, comment_url(article), COMMENT, "body", case)
    comment = only_comment(article)
    expected = expected_text(case.decoded, max_length=Comment.BODY_MAX_LENGTH)
    assert_kept_or_refused(response, comment and comment.body, expected, what=f"body {case.id}")
    if comment is not None:
        assert not active_markup(comment.body_html), comment.body_html


@pytest.mark.parametrize("case", params(SAMPLE[::2]))
def test_comment_name_is_stored_exactly_or_refused(client, article, case):
    response = post_case(client, comment_url(article), COMMENT, "name", case)
    comment = only_comment(article)
    expected = expected_line(case.decoded, max_length=Comment.NAME_MAX_LENGTH)
    assert_kept_or_refused(response, comment and comment.name, expected, what=f"name {case.id}")


@pytest.mark.parametrize("case", params(by_family("header", "unicode", "utf8") + SCRIPT_CASES[::20]))
def test_comment_email_refuses_header_injection_and_keeps_valid_addresses(client, article, case):
    response = post_case(client, comment_url(article), COMMENT, "email", case)
    comment = only_comment(article)
    assert response.status_code < 500
    if any(ch in case.decoded.strip() for ch in "\r\n\x00"):
        assert response.status_code == 400 and comment is None
    if response.status_code == 302:
        assert comment.email == expected_email(case.decoded)
    else:
        assert response.status_code == 400 and comment is None
        assert b"Please check your email address" in response.content or b"Please enter your email" in response.content


@pytest.mark.parametrize("case", params(SAMPLE[::4]))
def test_a_filled_honeypot_is_kept_in_the_spam_folder_never_refused(client, article, case):
    response = post_case(client, comment_url(article), COMMENT, "website", case)
    comment = only_comment(article)
    assert response.status_code < 500
    if "\x00" in case.decoded.strip():
        assert response.status_code == 400 and comment is None
        return
    assert response.status_code == 302 and comment is not None
    expected = Comment.Status.SPAM if case.decoded.strip() else Comment.Status.PENDING
    assert comment.status == expected


PAGE_NUMBERS = ["-1", "0", "1", str(10**20), "abc", "1e3", "", "1.5", " 1", "\uff19", "0x10", "9" * 400]


@pytest.mark.parametrize(
    "case", params(SAMPLE[::8] + [Case(f"number-{n}", value, "number") for n, value in enumerate(PAGE_NUMBERS)])
)
def test_a_hostile_reply_target_is_refused_with_a_message(client, article, case):
    response = post_case(client, comment_url(article), COMMENT, "parent", case)
    comment = only_comment(article)
    assert response.status_code < 500
    if case.decoded == "":
        assert response.status_code == 302 and comment.parent is None
    else:
        assert response.status_code == 400 and comment is None
        assert b"error-summary" in response.content


@pytest.mark.parametrize("case", params(SAMPLE[::8]))
def test_a_hostile_captcha_token_never_costs_the_comment(client, article, recaptcha_keys, case):
    response = post_case(client, comment_url(article), COMMENT, "captcha", case)
    comment = only_comment(article)
    assert response.status_code == 302
    assert comment is not None and comment.body == COMMENT["body"]
    assert comment.status in (Comment.Status.PENDING, Comment.Status.SPAM)


@pytest.mark.parametrize("case", params(SAMPLE[1::12]))
def test_a_hostile_checkbox_value_only_ticks_or_unticks(client, article, case):
    response = post_case(client, comment_url(article), COMMENT, "notify_me", case)
    comment = only_comment(article)
    assert response.status_code == 302
    assert comment.notify_me in (True, False)


def test_the_article_page_shows_every_script_case_as_text(client, article, settings):
    """Stored comments holding every script case, approved, render as text only."""
    settings.COMMENTS_THREADS_PER_PAGE = len(SCRIPT_CASES)  # all of them on the article page
    # As many harmless comments, each with its own report form, as there will be script cases.
    Comment.objects.bulk_create(
        Comment(article=article, name="Ana", email="ana@example.com", body="Kind words.", status="approved")
        for _case in SCRIPT_CASES
    )
    baseline = client.get(article.get_absolute_url()).content
    Comment.objects.filter(article=article).delete()
    Comment.objects.bulk_create(
        Comment(
            article=article,
            name=case.text[:80],
            email="ana@example.com",
            body=case.text,
            body_html=render_plain_text(case.text),
            status="approved",
        )
        for case in SCRIPT_CASES
    )
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert injected_markup(page.content, baseline) == []
    assert page.content.count(b'class="comment') >= len(SCRIPT_CASES)


@pytest.mark.parametrize("case", params(SCRIPT_CASES[::8]))
def test_a_refused_comment_shows_the_readers_script_back_as_text_only(client, article, case):
    """The form shown again after an error holds the reader's text: as text, never as markup."""
    baseline = refused_page(client, comment_url(article), {**COMMENT, "email": "not an address"})
    data = {**COMMENT, "email": "not an address", "name": case.text[:80]}
    response = post_case(client, comment_url(article), data, "body", case)
    assert response.status_code == 400
    assert injected_markup(response.content, baseline) == []


# --- Topic suggestion form ------------------------------------------------------------------

TOPIC = {"topic": "Sleeping with sciatica", "details": "", "name": "", "email": "", "website": ""}


def only_suggestion():
    return TopicSuggestion.objects.first()


@pytest.mark.parametrize("case", params(SAMPLE))
def test_topic_is_stored_exactly_or_refused(client, db, case):
    response = post_case(client, reverse("topics:suggest"), TOPIC, "topic", case)
    suggestion = only_suggestion()
    expected = expected_line(case.decoded, max_length=TopicSuggestion.TOPIC_MAX_LENGTH)
    assert_kept_or_refused(response, suggestion and suggestion.topic, expected, what=f"topic {case.id}")


@pytest.mark.parametrize("case", params(SAMPLE[::2]))
def test_topic_details_are_stored_exactly_or_refused(client, db, case):
    response = post_case(client, reverse("topics:suggest"), TOPIC, "details", case)
    suggestion = only_suggestion()
    expected = expected_text(case.decoded, max_length=TopicSuggestion.DETAILS_MAX_LENGTH, required=False)
    assert_kept_or_refused(response, suggestion and suggestion.details, expected, what=f"details {case.id}")


@pytest.mark.parametrize("case", params(SAMPLE[1::4]))
def test_the_optional_name_on_a_suggestion_is_stored_exactly_or_refused(client, db, case):
    response = post_case(client, reverse("topics:suggest"), TOPIC, "name", case)
    suggestion = only_suggestion()
    expected = expected_line(case.decoded, max_length=TopicSuggestion.NAME_MAX_LENGTH, required=False)
    assert_kept_or_refused(response, suggestion and suggestion.name, expected, what=f"name {case.id}")


@pytest.mark.parametrize("case", params(by_family("header", "utf8") + SAMPLE[::12]))
def test_the_optional_email_on_a_suggestion_refuses_header_injection(client, db, case):
    response = post_case(client, reverse("topics:suggest"), TOPIC, "email", case)
    suggestion = only_suggestion()
    assert response.status_code < 500
    if any(ch in case.decoded.strip() for ch in "\r\n\x00"):
        assert response.status_code == 400 and suggestion is None
    if response.status_code == 302:
        assert suggestion.email == case.decoded.strip()
    else:
        assert response.status_code == 400 and suggestion is None


@pytest.mark.parametrize(
    "case",
    params(SAMPLE[::8] + [Case("offsite", "https://evil.example/", "link"), Case("scheme", "//evil.example", "link")]),
)
def test_the_next_field_of_a_suggestion_never_leaves_the_site(client, db, case):
    response = post_case(client, reverse("topics:suggest"), TOPIC, "next", case)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert only_suggestion().topic == TOPIC["topic"]


@pytest.mark.parametrize("case", params(SCRIPT_CASES[2::8]))
def test_a_refused_suggestion_shows_the_readers_script_back_as_text_only(client, db, case):
    data = {**TOPIC, "notify_when_published": "on", "name": case.text[:80]}
    baseline = refused_page(client, reverse("topics:suggest"), {**data, "name": "Ana"})
    response = post_case(client, reverse("topics:suggest"), data, "details", case)
    assert response.status_code == 400
    assert injected_markup(response.content, baseline) == []


def test_the_board_shows_every_planned_script_case_as_text(client, db):
    cases = SCRIPT_CASES[::5][:50]
    TopicSuggestion.objects.bulk_create(
        TopicSuggestion(topic=f"Harmless idea {n}", status=TopicSuggestion.Status.PLANNED) for n in range(len(cases))
    )
    baseline = client.get(reverse("topics:board")).content
    topics = list(TopicSuggestion.objects.all())
    for topic, case in zip(topics, cases, strict=True):
        topic.topic = case.text[:120]
    TopicSuggestion.objects.bulk_update(topics, ["topic"])
    page = client.get(reverse("topics:board"))
    assert page.status_code == 200
    assert injected_markup(page.content, baseline) == []


# --- Whole requests: broken bodies, wrong types, too many, missing and repeated fields -----------

FORMS = {
    "comment": (lambda article: reverse("comments:post", kwargs={"slug": article.slug}), COMMENT, Comment),
    "topic": (lambda article: reverse("topics:suggest"), TOPIC, TopicSuggestion),
}
BROKEN_BODIES = {
    "multipart-garbage": ("multipart/form-data; boundary=xyz", b"--xyz\r\nthis is not a part\r\n"),
    "multipart-no-boundary": ("multipart/form-data", b"name=Ana"),
    "multipart-bad-boundary": ("multipart/form-data; boundary=" + "x" * 200, b"--x\r\n"),
    "multipart-unterminated": (
        "multipart/form-data; boundary=b",
        b'--b\r\nContent-Disposition: form-data; name="body"\r\n\r\nhalf a comment',
    ),
    "multipart-no-disposition": ("multipart/form-data; boundary=b", b"--b\r\n\r\nvalue\r\n--b--\r\n"),
    "json": ("application/json", b'{"name": "Ana", "email": "ana@example.com", "body": "Hi"}'),
    "text": ("text/plain", b"name=Ana&email=ana@example.com&body=Hi"),
    "xml": ("application/xml", b"<comment><body>Hi</body></comment>"),
    "urlencoded-garbage": ("application/x-www-form-urlencoded", b"%%%&&&===%ZZ"),
    "empty": ("application/x-www-form-urlencoded", b""),
    "charset-unknown": ("application/x-www-form-urlencoded; charset=klingon", b"name=Ana&body=Hi"),
}


@pytest.mark.parametrize("body", list(BROKEN_BODIES))
@pytest.mark.parametrize("form", list(FORMS))
def test_a_broken_or_foreign_body_is_refused_cleanly(client, article, form, body):
    url, _data, model = FORMS[form]
    content_type, payload = BROKEN_BODIES[body]
    response = client.generic("POST", url(article), payload, content_type=content_type)
    assert 400 <= response.status_code < 500, response.status_code
    assert model.objects.count() == 0


@pytest.mark.parametrize("form", list(FORMS))
def test_thousands_of_fields_are_refused_with_a_400(client, article, form):
    url, data, model = FORMS[form]
    padding = "&".join(f"extra{n}=x" for n in range(3000))
    response = client.generic(
        "POST", url(article), f"{form_body(data)}&{padding}", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert model.objects.count() == 0


@pytest.mark.parametrize("form", list(FORMS))
def test_a_body_over_the_upload_limit_is_refused_with_a_400(client, article, form, settings):
    url, data, model = FORMS[form]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client.generic(
        "POST",
        url(article),
        f"{form_body(data)}&details={'x' * 2 * 1024 * 1024}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert model.objects.count() == 0


@pytest.mark.parametrize("missing", ["name", "email", "body"])
def test_a_comment_missing_a_field_is_refused_with_its_message(client, article, missing):
    data = {key: value for key, value in COMMENT.items() if key != missing}
    response = client.post(comment_url(article), data)
    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert Comment.objects.count() == 0


def test_a_suggestion_missing_its_topic_is_refused_with_its_message(client, db):
    response = client.post(reverse("topics:suggest"), {"details": "More please"})
    assert response.status_code == 400
    assert b"Please tell us the topic" in response.content
    assert TopicSuggestion.objects.count() == 0


@pytest.mark.parametrize("form", list(FORMS))
def test_a_repeated_field_keeps_one_whole_value(client, article, form):
    url, data, model = FORMS[form]
    field = "body" if form == "comment" else "topic"
    body = f"{form_body(data, None)}&{field}=first%20value&{field}=second%20value"
    response = client.generic("POST", url(article), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert getattr(model.objects.get(), field) == "second value"


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_the_form_endpoints_answer_other_methods_with_405(client, article, form, method):
    url, _data, model = FORMS[form]
    response = client.generic(method, url(article))
    assert response.status_code == 405
    assert model.objects.count() == 0

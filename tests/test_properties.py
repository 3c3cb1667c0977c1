"""Property-based tests: whatever a reader (or Google) sends, the outcome is a stored row with a
valid status, a form error or a 4xx, never an exception."""

import io
import json
import math
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from core.richtext import render_markdown, sanitize_html
from submissions import captcha, policy
from submissions.models import HoldReason, ModeratedSubmission
from submissions.text import render_plain_text
from tests.hostile.markup import active_markup
from topics.models import TopicSuggestion

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text, NUL and control characters included (never lone surrogates: no browser can send them).
any_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=6000),
    st.sampled_from(["", " ", "\x00", "a" * 5001, "<script>alert(1)</script>", "\r\n" * 50]),
)
field_value = st.one_of(st.none(), any_text)
VALID_STATUSES = set(ModeratedSubmission.Status.values) | set(TopicSuggestion.Status.values)


def _post(client, url, fields):
    data = {name: value for name, value in fields.items() if value is not None}
    return client.post(url, data)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_rate_limit")
@EXAMPLES
@given(
    name=field_value, email=field_value, body=field_value, website=field_value, parent=field_value, notify=field_value
)
def test_any_comment_post_is_stored_with_a_valid_status_or_refused(
    client, article, name, email, body, website, parent, notify
):
    fields = {"name": name, "email": email, "body": body, "website": website, "parent": parent, "notify_me": notify}
    response = _post(client, reverse("comments:post", kwargs={"slug": article.slug}), fields)
    stored = list(Comment.objects.all())
    Comment.objects.all().delete()
    if response.status_code == 302:
        assert len(stored) == 1
        assert stored[0].status in VALID_STATUSES
        assert stored[0].body == (body or "").strip()
        assert not active_markup(stored[0].body_html)
    else:
        assert response.status_code == 400, response.status_code
        assert stored == []


@pytest.mark.django_db
@pytest.mark.usefixtures("no_rate_limit")
@EXAMPLES
@given(topic=field_value, details=field_value, name=field_value, email=field_value, notify=field_value)
def test_any_topic_suggestion_is_stored_with_a_valid_status_or_refused(client, db, topic, details, name, email, notify):
    fields = {"topic": topic, "details": details, "name": name, "email": email, "notify_when_published": notify}
    response = _post(client, reverse("topics:suggest"), fields)
    stored = list(TopicSuggestion.objects.all())
    TopicSuggestion.objects.all().delete()
    if response.status_code == 302:
        assert len(stored) == 1
        assert stored[0].status in VALID_STATUSES
        assert stored[0].topic == " ".join((topic or "").split())
    else:
        assert response.status_code == 400, response.status_code
        assert stored == []


scores = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=0, max_value=1))
problems = st.sampled_from(["", *[code for code in HoldReason.values if code.startswith("captcha_")]])


@pytest.mark.django_db
@EXAMPLES
@given(
    score=scores,
    problem=problems,
    text=any_text,
    honeypot=st.booleans(),
    auto_approve=st.booleans(),
    trust=st.booleans(),
    known=st.booleans(),
)
def test_the_policy_always_gives_a_valid_status_and_never_publishes_a_doubtful_one(
    score, problem, text, honeypot, auto_approve, trust, known
):
    result = captcha.CaptchaResult(score=score, problem=problem)
    with (
        mock.patch.object(django_settings, "SUBMISSIONS_AUTO_APPROVE", auto_approve),
        mock.patch.object(django_settings, "SUBMISSIONS_TRUST_KNOWN_EMAILS", trust),
    ):
        decision = policy.decide(captcha=result, text=text, honeypot_filled=honeypot, email_is_known=lambda: known)
    assert decision.status in ModeratedSubmission.Status.values
    assert set(decision.reasons) <= set(HoldReason.values)
    if honeypot:
        assert decision.status == ModeratedSubmission.Status.SPAM
    if problem or score is None or (isinstance(score, float) and math.isnan(score)):
        assert decision.status != ModeratedSubmission.Status.APPROVED or (not problem and score is None)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.floats(allow_nan=False), st.integers(), st.text(max_size=20)),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)
google_answers = st.one_of(
    st.dictionaries(
        st.sampled_from(["success", "score", "action", "hostname", "error-codes", "challenge_ts"]), json_values
    ),
    json_values,
)


@pytest.mark.django_db
@EXAMPLES
@given(answer=google_answers, action=st.sampled_from(["comment", "suggest_topic"]))
def test_any_answer_from_google_becomes_a_result_never_an_exception(settings, answer, action):
    settings.RECAPTCHA_PUBLIC_KEY = "site"
    settings.RECAPTCHA_PRIVATE_KEY = "secret"
    with mock.patch(
        "django_recaptcha.client.recaptcha_request", lambda params: io.BytesIO(json.dumps(answer).encode())
    ):
        result = captcha.verify_token("token", action=action)
    assert isinstance(result, captcha.CaptchaResult)
    assert result.score is None or 0.0 <= result.score <= 1.0
    assert result.problem in ("", *HoldReason.values)
    if result.verified:
        assert isinstance(answer, dict) and answer.get("success") is True and answer.get("action") == action


@EXAMPLES
@given(text=any_text)
def test_reader_text_never_renders_as_markup(text):
    assume(text.strip())
    assert not active_markup(render_plain_text(text))


@EXAMPLES
@given(
    text=st.one_of(
        any_text,
        st.lists(
            st.sampled_from(["<", ">", "script", "a href=", "javascript:", '"', "on", "=", "[x](", ")", "&#", ";"]),
            max_size=40,
        ).map("".join),
    )
)
def test_editor_markdown_and_html_never_render_as_script(text):
    rendered, _toc = render_markdown(text)
    assert not active_markup(rendered)
    assert not active_markup(sanitize_html(text))

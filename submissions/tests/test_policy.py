"""The shared submission policy and CAPTCHA field, without HTTP."""

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_recaptcha.client import RecaptchaResponse

from comments.forms import CommentForm
from submissions import captcha
from submissions.captcha import CaptchaResult
from submissions.policy import decide
from submissions.ratelimit import rate_limit_hit
from tests.support.submissions import SITE_KEY

CLEAN = CaptchaResult(score=0.9, action="comment", hostname_ok=True)


def test_auto_approval_publishes_only_a_fully_clean_submission(settings, db):
    settings.SUBMISSIONS_AUTO_APPROVE = True
    assert decide(captcha=CLEAN, text="Thanks").status == "approved"
    assert decide(captcha=CLEAN, text="Thanks", honeypot_filled=True).status == "spam"


def test_spam_signals_win_over_hold_signals_and_all_reasons_are_kept(settings, db):
    decision = decide(
        captcha=CaptchaResult(score=0.1, action="comment"), text="a.com b.com c.com d.com", honeypot_filled=True
    )
    assert decision.status == "spam"
    assert decision.reasons == ["honeypot", "spam_score", "too_many_links"]


def test_thresholds_come_from_settings_at_call_time(settings, db):
    settings.SUBMISSIONS_AUTO_APPROVE = True
    settings.SUBMISSIONS_APPROVE_FROM = 0.95
    assert decide(captcha=CLEAN, text="Thanks").reasons == ["low_score"]
    settings.SUBMISSIONS_SPAM_BELOW = 0.95
    assert decide(captcha=CLEAN, text="Thanks").status == "spam"


def test_a_disallowed_word_matches_whole_words_only(db):
    from core.models import SiteSettings

    site = SiteSettings.load()
    site.disallowed_words = "ass"
    site.save()
    assert decide(captcha=CLEAN, text="My assessment went well").status == "pending"
    assert decide(captcha=CLEAN, text="What an ASS.").status == "spam"


def test_keys_are_read_when_the_form_is_built_so_tests_can_switch_them(settings, db):
    assert CommentForm().recaptcha_site_key == ""
    settings.RECAPTCHA_PUBLIC_KEY = SITE_KEY
    settings.RECAPTCHA_PRIVATE_KEY = "secret"
    form = CommentForm()
    assert form.recaptcha_site_key == SITE_KEY
    assert form.fields["captcha"].private_key == "secret"


def test_recaptcha_verify_replaces_the_verification_call(settings, google):
    settings.RECAPTCHA_PUBLIC_KEY = SITE_KEY
    settings.RECAPTCHA_PRIVATE_KEY = "secret"
    settings.RECAPTCHA_VERIFY = "submissions.tests.test_policy.local_verify"

    result = captcha.verify_token("token", action="comment")

    assert result == CaptchaResult(score=0.8, action="comment", hostname_ok=None)
    assert google.calls == 0


def local_verify(recaptcha_response, private_key, remoteip):
    return RecaptchaResponse(is_valid=True, extra_data={"score": 0.8}, action="comment")


def test_the_rate_limit_window_resets(db):
    for _ in range(2):
        assert rate_limit_hit(scope="t", identities=["x"], limit=2, window=60, now=1000.0).allowed
    blocked = rate_limit_hit(scope="t", identities=["x"], limit=2, window=60, now=1010.0)
    assert not blocked.allowed and blocked.retry_after == 10 and blocked.retry_after_minutes == 1
    assert rate_limit_hit(scope="t", identities=["x"], limit=2, window=60, now=1021.0).allowed


def test_deploy_check_fails_clearly_without_keys(settings):
    settings.RECAPTCHA_CONFIGURED = False
    with pytest.raises(SystemCheckError, match="reCAPTCHA keys are not set"):
        call_command("check", "--deploy", "--fail-level", "ERROR", tags=["security"])
    assert Error  # the check is an Error, not a warning


def test_personal_details_hold_a_submission_whatever_its_score(settings, db):
    settings.SUBMISSIONS_AUTO_APPROVE = True
    settings.SUBMISSIONS_TRUST_KNOWN_EMAILS = True
    decision = decide(captcha=CLEAN, text="Call me", personal_details=True, email_is_known=lambda: True)
    assert (decision.status, decision.reasons) == ("pending", ["personal_details"])

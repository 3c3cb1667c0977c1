"""Signing in: the password, then an authenticator code, a recovery code or a passkey. Wrong codes
count toward the sign-in lockout exactly as wrong passwords do."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from staff_security import factors
from tests.support.second_factor import enrol_authenticator, next_code
from tests.support.staff import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.django_db

PASSWORD_STEP = {"username": "edith", "password": STAFF_PASSWORD, "next": "/admin/articles/"}


@pytest.fixture
def editor():
    user = make_staff("edith")
    return user, enrol_authenticator(user)


def password(client):
    return client.post("/admin/login/?next=/admin/articles/", PASSWORD_STEP)


def test_the_password_alone_leads_to_the_second_step_not_the_admin(client, editor, required):
    password(client)
    response = client.get("/admin/articles/")
    assert response["Location"] == "/admin/security/verify/?next=%2Fadmin%2Farticles%2F"
    page = client.get(response["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in page
    assert '<input type="hidden" name="next" value="/admin/articles/">' in page


def test_an_enrolled_account_is_asked_for_its_code_even_where_the_rule_is_relaxed(client, editor, settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = False
    password(client)
    assert client.get("/admin/")["Location"].startswith("/admin/security/verify/")


def test_the_authenticator_code_opens_the_admin(client, editor, required):
    _user, totp = editor
    password(client)
    response = client.post("/admin/security/verify/", {"code": totp.now(), "next": "/admin/articles/"})
    assert response["Location"] == "/admin/articles/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_taken_once(client, editor, required):
    _user, totp = editor
    code = totp.now()
    password(client)
    client.post("/admin/security/verify/", {"code": code})
    other = Client()
    password(other)
    assert other.post("/admin/security/verify/", {"code": code}).status_code == 400


def test_next_leads_only_to_this_site(client, editor, required):
    _user, totp = editor
    password(client)
    response = client.post("/admin/security/verify/", {"code": totp.now(), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_a_recovery_code_works_once(client, editor, required, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; not this test's subject
    user, _totp = editor
    codes = factors.recovery_codes_issue(user=user)
    password(client)
    assert client.post("/admin/security/verify/", {"code": codes[3].upper()})["Location"] == "/admin/"
    again = Client()
    password(again)
    response = again.post("/admin/security/verify/", {"code": codes[3]})
    assert response.status_code == 400
    assert "That code did not work" in response.content.decode()
    assert again.get("/admin/").status_code == 302
    assert again.post("/admin/security/verify/", {"code": codes[4]})["Location"] == "/admin/"


def test_wrong_codes_count_toward_the_lockout_like_wrong_passwords(client, editor, required, settings):
    _user, totp = editor
    password(client)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/admin/security/verify/", {"code": "123456"}).status_code == 400
    assert AccessAttempt.objects.filter(username="edith").exists()
    locked = client.post("/admin/security/verify/", {"code": "123456"})
    assert locked.status_code == 429
    # Locked out, and signed out: even the right code or the password does not help now.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert password(client).status_code == 429


def test_a_right_code_clears_the_failures_a_wrong_one_left(client, editor, required, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _user, totp = editor
    password(client)
    client.post("/admin/security/verify/", {"code": "123456"})
    assert AccessAttempt.objects.filter(username="edith").exists()
    client.post("/admin/security/verify/", {"code": totp.now()})
    assert not AccessAttempt.objects.filter(username="edith").exists()


def test_a_wrong_code_is_recorded_as_a_failed_sign_in_without_the_code(client, editor, required, settings):
    """The record of failed sign-ins is shown in the admin: a code typed there must not be."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    password(client)
    client.post("/admin/security/verify/", {"code": "654321"})
    client.post("/admin/security/verify/", {"code": "abc123-def456"})
    attempt = AccessAttempt.objects.get(username="edith")
    assert "code=" in attempt.post_data
    assert "654321" not in attempt.post_data and "abc123" not in attempt.post_data


def test_the_password_does_not_clear_wrong_codes_while_the_second_step_is_pending(client, editor, required, settings):
    """Otherwise a thief with the password could guess codes for ever, a few between each sign-in."""
    _user, totp = editor
    for _round in range(2):
        fresh = Client()
        password(fresh)
        for _attempt in range(settings.AXES_FAILURE_LIMIT // 2 + 1):
            fresh.post("/admin/security/verify/", {"code": "123456"})
    assert password(Client()).status_code == 429


def test_a_sign_in_from_a_new_network_is_mailed_to_the_owner(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        password(Client(REMOTE_ADDR="198.51.100.7"))
        password(Client(REMOTE_ADDR="198.51.100.7"))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        password(Client(REMOTE_ADDR="203.0.113.9"))
    assert [message.subject for message in mail.outbox] == ["A sign-in to your clinic account from a new network"]
    assert mail.outbox[0].to == ["edith@clinic.example"]
    assert "203.0.113.9" not in mail.outbox[0].body


def test_a_later_code_signs_in_a_second_browser(editor, required):
    _user, totp = editor
    first, second = Client(), Client()
    password(first)
    password(second)
    assert first.post("/admin/security/verify/", {"code": totp.now()}).status_code == 302
    assert second.post("/admin/security/verify/", {"code": next_code(totp)}).status_code == 302

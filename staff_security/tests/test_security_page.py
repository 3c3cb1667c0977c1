"""The sign-in security page of each staff member, and an administrator's reset of someone's factors."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from staff_security import factors
from tests.support.second_factor import enrol_authenticator, next_code
from tests.support.staff import STAFF_PASSWORD, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]


def signed_in(user, totp, code=None):
    client = Client()
    client.post("/admin/login/", {"username": user.get_username(), "password": STAFF_PASSWORD})
    assert client.post("/admin/security/verify/", {"code": code or totp.now()}).status_code == 302
    return client


@pytest.fixture
def editor():
    user = make_staff("edith")
    totp = enrol_authenticator(user)
    factors.recovery_codes_issue(user=user, notify=False)
    return user, totp


def test_the_admin_user_tools_link_to_the_page(editor):
    page = signed_in(*editor).get("/admin/").content.decode()
    assert '<a href="/admin/security/">Sign-in security</a>' in page


def test_the_page_lists_each_factor_with_when_it_was_added_and_last_used(editor):
    user, totp = editor
    WebAuthnCredential.objects.create(user=user, name="Work laptop", confirmed=True, credential_id_sha256="ab" * 32)
    page = signed_in(*editor).get("/admin/security/").content.decode()
    assert "Authenticator app" in page and "Replace the authenticator app" in page
    assert "last used never" not in page.split("passkeys-heading")[0]  # the app was just used
    assert "Work laptop: added" in page
    assert "10 of 10 left" in page
    assert 'id="passkey-register-button"' in page


def test_new_recovery_codes_replace_the_old_ones(editor, django_capture_on_commit_callbacks):
    user, totp = editor
    old = factors.recovery_codes_issue(user=user, notify=False)
    client = signed_in(*editor)
    assert client.get("/admin/security/recovery-codes/new/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/security/recovery-codes/new/")
    new = re.findall(r"<code>([0-9a-f-]{13})</code>", client.get(response["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    other.post("/admin/login/", {"username": "edith", "password": STAFF_PASSWORD})
    assert other.post("/admin/security/verify/", {"code": old[0]}).status_code == 400
    assert mail.outbox[-1].subject == "Your clinic sign-in security changed"


def test_replacing_the_app_keeps_one_and_needs_a_code_from_the_new_one(editor):
    user, totp = editor
    client = signed_in(*editor)
    client.get("/admin/security/authenticator/")
    from tests.support.second_factor import authenticator_of

    new_app = authenticator_of(TOTPDevice.objects.get(user=user, confirmed=False))
    response = client.post("/admin/security/authenticator/", {"code": new_app.now()})
    assert response["Location"] == "/admin/security/"
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert TOTPDevice.objects.get(user=user).bin_key != totp.byte_secret()


def test_an_unverified_session_cannot_replace_the_app(editor, settings):
    user, _totp = editor
    client = Client()
    client.post("/admin/login/", {"username": "edith", "password": STAFF_PASSWORD})
    assert client.get("/admin/security/authenticator/")["Location"].startswith("/admin/security/verify/")


def test_sign_out_all_other_sessions_ends_them_and_keeps_this_one(editor):
    user, totp = editor
    here = signed_in(user, totp)
    there = signed_in(user, totp, next_code(totp))
    response = here.post("/admin/security/sessions/end-others/")
    assert response["Location"] == "/admin/security/"
    assert here.get("/admin/").status_code == 200
    assert there.get("/admin/")["Location"].startswith("/admin/login/")


def test_an_administrator_removes_a_staff_members_factors(editor, django_capture_on_commit_callbacks):
    user, _totp = editor
    boss = make_staff("boss")
    boss.is_superuser = True
    boss.save()
    boss_app = enrol_authenticator(boss)
    client = signed_in(boss, boss_app)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/auth/user/",
            {"action": "remove_second_factors", "_selected_action": [user.pk], "index": "0", "select_across": "0"},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(user=boss).exists()
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert entry.user == boss and "second factors" in entry.get_change_message()
    assert mail.outbox[-1].to == ["edith@clinic.example"]
    assert "An administrator (boss) removed the second factors" in mail.outbox[-1].body
    # At the next sign-in, the editor sets up a new app.
    again = Client()
    again.post("/admin/login/", {"username": "edith", "password": STAFF_PASSWORD})
    assert again.get("/admin/")["Location"].startswith("/admin/security/authenticator/")


def test_staff_without_the_change_user_permission_cannot_remove_factors(editor):
    user, _totp = editor
    helper = make_staff("helper")
    helper_app = enrol_authenticator(helper)
    client = signed_in(helper, helper_app)
    client.post("/admin/auth/user/", {"action": "remove_second_factors", "_selected_action": [user.pk]})
    assert TOTPDevice.objects.filter(user=user).exists()


def test_a_session_signed_in_with_a_recovery_code_makes_new_codes_and_sees_them(editor, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; not this test's subject
    user, totp = editor
    old = factors.recovery_codes_issue(user=user, notify=False)
    client = signed_in(user, totp, old[0])
    response = client.post("/admin/security/recovery-codes/new/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    new = re.findall(r"<code>([0-9a-f-]{13})</code>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert client.get("/admin/").status_code == 200  # still past the second factor
    other = Client()
    other.post("/admin/login/", {"username": "edith", "password": STAFF_PASSWORD})
    assert other.post("/admin/security/verify/", {"code": old[1]}).status_code == 400
    assert other.post("/admin/security/verify/", {"code": new[0]})["Location"] == "/admin/"

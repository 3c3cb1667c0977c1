"""A staff member without a factor sets up an authenticator app, then keeps ten recovery codes."""

import base64
import re

import pyotp
import pytest
from django.core import mail
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.staff import STAFF_PASSWORD, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]


@pytest.fixture
def editor(client):
    user = make_staff("edith")
    client.post("/admin/login/", {"username": "edith", "password": STAFF_PASSWORD, "next": "/admin/"})
    return user


def app_for(user):
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode())


def test_after_the_password_an_unenrolled_editor_lands_on_the_enrolment_page(client, editor):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/security/authenticator/?next=%2Fadmin%2F"
    page = response.content.decode()
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in page
    assert "https://" not in page.split('class="qr-frame"', 1)[1].split("</div>", 1)[0]
    key = base64.b32encode(TOTPDevice.objects.get(user=editor).bin_key).decode()
    shown = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1)
    assert shown.replace(" ", "") == key


def test_a_right_code_confirms_the_app_verifies_the_session_and_shows_ten_codes_once(
    client, editor, django_capture_on_commit_callbacks
):
    client.get("/admin/security/authenticator/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/security/authenticator/", {"code": app_for(editor).now(), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/security/recovery-codes/?next=%2Fadmin%2F"
    assert TOTPDevice.objects.get(user=editor).confirmed
    codes = re.findall(
        r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", client.get(response["Location"]).content.decode()
    )
    assert len(set(codes)) == 10
    download = client.get("/admin/security/recovery-codes/download/")
    assert download["Content-Disposition"] == 'attachment; filename="clinic-recovery-codes.txt"'
    assert all(code in download.content.decode() for code in codes)
    saved = client.post("/admin/security/recovery-codes/", {"next": "/admin/"})
    assert saved["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Shown once: the codes page and the download have nothing more to give.
    assert client.get("/admin/security/recovery-codes/")["Location"] == "/admin/security/"
    assert client.get("/admin/security/recovery-codes/download/")["Location"] == "/admin/security/"
    assert StaticDevice.objects.get(user=editor).token_set.count() == 10
    assert [message.subject for message in mail.outbox] == ["Your clinic sign-in security changed"]
    assert "An authenticator app was set up" in mail.outbox[0].body


def test_a_wrong_code_keeps_the_app_unconfirmed_and_says_so(client, editor):
    client.get("/admin/security/authenticator/")
    response = client.post("/admin/security/authenticator/", {"code": "000000"})
    assert response.status_code == 400
    assert "That code did not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_the_key_stays_the_same_until_it_is_confirmed(client, editor):
    client.get("/admin/security/authenticator/")
    client.get("/admin/security/authenticator/")
    assert TOTPDevice.objects.filter(user=editor).count() == 1

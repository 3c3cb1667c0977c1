"""A forgotten password, from the admin's sign-in page: staff only, limited, saying nothing about
which addresses have accounts; a reset ends every session and keeps the second factors."""

import json
import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.second_factor import enrol_authenticator
from tests.support.staff import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"


def reset_link(body):
    """The path of the reset link in an email."""
    return re.search(r"https?://[^/\s]+(/admin/reset/\S+/)", body).group(1)


@pytest.fixture(autouse=True)
def _fresh_limits():
    from django.core.cache import caches

    caches[settings.LIMITS_CACHE_ALIAS].clear()


def test_the_admin_sign_in_page_offers_it():
    page = Client().get("/admin/login/").content.decode()
    assert f'<a href="{RESET}">Forgotten your login credentials?</a>' in page


def test_links_last_an_hour():
    assert settings.PASSWORD_RESET_TIMEOUT == 3600


def test_the_pages_wear_the_admins_look():
    assert "<title>Password reset | Clinic admin</title>" in Client().get(RESET).content.decode()


def test_a_staff_member_gets_a_link_others_get_the_same_page_and_no_mail():
    make_staff("edith")
    from django.contrib.auth.models import User

    User.objects.create_user("reader", "reader@clinic.example", "pw-for-a-reader")
    answers = [
        Client().post(RESET, {"email": email})
        for email in ("edith@clinic.example", "reader@clinic.example", "nobody@clinic.example")
    ]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, "/admin/password_reset/done/")}
    assert [message.to for message in mail.outbox] == [["edith@clinic.example"]]
    assert re.search(r"/admin/reset/[\w-]+/[\w-]+/", mail.outbox[0].body)


def test_requests_from_one_network_are_limited(settings):
    settings.PASSWORD_RESET_LIMIT_PER_NETWORK = 2
    client = Client(REMOTE_ADDR="203.0.113.5")
    statuses = [client.post(RESET, {"email": f"person{n}@clinic.example"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert "Too many reset requests" in client.post(RESET, {"email": "x@clinic.example"}).content.decode()
    assert Client(REMOTE_ADDR="198.51.100.1").post(RESET, {"email": "x@clinic.example"}).status_code == 302


def test_requests_for_one_address_are_limited_without_saying_so(settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    make_staff("edith")
    answers = [Client(REMOTE_ADDR=f"198.51.100.{n}").post(RESET, {"email": "Edith@clinic.example"}) for n in range(4)]
    assert {answer["Location"] for answer in answers} == {"/admin/password_reset/done/"}
    assert len(mail.outbox) == 2


def test_a_reset_ends_every_session_and_keeps_the_second_factor(settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    user = make_staff("edith")
    totp = enrol_authenticator(user)
    elsewhere = Client()
    elsewhere.post("/admin/login/", {"username": "edith", "password": STAFF_PASSWORD})
    elsewhere.post("/admin/security/verify/", {"code": totp.now()})
    assert elsewhere.get("/admin/").status_code == 200

    Client().post(RESET, {"email": "edith@clinic.example"})
    link = reset_link(mail.outbox[0].body)
    browser = Client()
    form = browser.get(link, follow=True)
    new = "a brand new long passphrase"
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/admin/reset/done/"

    assert elsewhere.get("/admin/")["Location"].startswith("/admin/login/")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    fresh = Client()
    fresh.post("/admin/login/", {"username": "edith", "password": new})
    assert fresh.get("/admin/")["Location"].startswith("/admin/security/verify/")


def test_the_reset_link_goes_through_the_outbox():
    """Queued like every email: a mail server that is down delays the link, never loses it."""
    from core.models import OutgoingEmail

    make_staff("edith")
    Client().post(RESET, {"email": "edith@clinic.example"})
    (queued,) = OutgoingEmail.objects.filter(to=["edith@clinic.example"])
    assert "/admin/reset/" in queued.body


def test_the_link_is_built_from_the_sites_own_address_whatever_host_the_request_named(settings):
    settings.SITE_URL = "https://clinic.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    make_staff("edith")
    Client(HTTP_HOST="other.example").post(RESET, {"email": "edith@clinic.example"})
    body = mail.outbox[0].body
    assert "https://clinic.example.org/admin/reset/" in body
    assert "other.example" not in body


def test_without_a_site_address_the_link_names_the_host_the_request_reached(settings):
    settings.SITE_URL = ""
    make_staff("edith")
    Client().post(RESET, {"email": "edith@clinic.example"})
    assert "http://testserver/admin/reset/" in mail.outbox[0].body


def logged_paths(caplog):
    return [json.loads(record.getMessage())["path"] for record in caplog.records if record.name == "clinic.requests"]


def test_the_request_log_never_holds_the_token_of_a_reset_link(caplog, settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    make_staff("edith")
    Client().post(RESET, {"email": "edith@clinic.example"})
    link = reset_link(mail.outbox[0].body)
    uid = link.split("/")[3]
    pending = Client()  # a staff member half signed in, whom the second step stops first
    enrol_authenticator(make_staff("olive"))
    pending.post("/admin/login/", {"username": "olive", "password": STAFF_PASSWORD})
    with caplog.at_level(logging.INFO, logger="clinic.requests"):
        caplog.clear()
        assert Client().get(link).status_code == 302
        assert pending.get(link)["Location"].startswith("/admin/security/verify/")
    paths = logged_paths(caplog)
    assert paths == [f"/admin/reset/{uid}/[token]/"] * 2

"""Staff sessions end when left idle, and at a password change everywhere but where it was changed."""

import time

import pytest
from django.test import Client

from staff_security.sessions import LAST_SEEN
from tests.support.staff import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def signed_in(username="edith"):
    client = Client()
    assert client.post("/admin/login/", {"username": username, "password": STAFF_PASSWORD}).status_code == 302
    return client


def idle_for(client, seconds):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_longer_than_the_limit_ends(settings):
    settings.STAFF_IDLE_HOURS = 2
    make_staff("edith")
    client = signed_in()
    idle_for(client, 2 * 3600 + 60)
    response = client.get("/admin/articles/")
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2Farticles%2F"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_session_used_within_the_limit_goes_on(settings):
    settings.STAFF_IDLE_HOURS = 2
    make_staff("edith")
    client = signed_in()
    idle_for(client, 2 * 3600 - 60)
    assert client.get("/admin/").status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 5


def test_the_idle_limit_is_twelve_hours_unless_set():
    from django.conf import settings

    assert settings.STAFF_IDLE_HOURS == 12


def test_a_password_change_ends_other_sessions_and_keeps_the_changers():
    make_staff("edith")
    changer, other = signed_in(), signed_in()
    new = "another long passphrase here"
    response = changer.post(
        "/admin/password_change/",
        {"old_password": STAFF_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/admin/password_change/done/"
    assert changer.get("/admin/").status_code == 200
    assert other.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db(transaction=True)
def test_no_backup_holds_the_keys_of_staff_sessions(tmp_path):
    """A recorded session key is a live session cookie: an archive must never carry one."""
    import tarfile

    from backups.jobs import backup_create
    from staff_security.models import StaffSession

    make_staff("edith")
    signed_in()
    assert StaffSession.objects.exists()
    archive = backup_create(output=tmp_path / "site.tar").path
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "database/auth_user.jsonl.gz" in names
    assert "database/staff_security_staffsession.jsonl.gz" not in names

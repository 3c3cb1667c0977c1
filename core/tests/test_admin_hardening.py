"""The admin resists password guessing and lives where settings say."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def attempt(client, password):
    return client.post(
        reverse("admin:login"),
        {"username": "moderator", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR="203.0.113.9",
    )


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(client):
    User.objects.create_user("moderator", password="correct horse battery", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "wrong guess")
    assert response.status_code in (200, 429)

    response = attempt(client, "correct horse battery")

    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_login_before_the_limit_succeeds(client):
    User.objects.create_user("moderator", password="correct horse battery", is_staff=True)
    attempt(client, "one typo")
    response = attempt(client, "correct horse battery")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_idle_staff_session_expires(client):
    staff = User.objects.create_superuser("chief", password="x")
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200

    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=later):
        response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

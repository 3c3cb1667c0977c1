"""Sign-in limits: per network (an IPv6 /64 is one), per account across networks, and per network
across accounts; every cool-down ends, and an account's owner hears of it once."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"


@pytest.fixture
def moderator(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.ACCOUNT_LOCKOUT_FAILURES = 10
    settings.ACCOUNT_LOCKOUT_MINUTES = 15
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches["limits"].clear()
    return User.objects.create_user("moderator", email="moderator@example.com", password=RIGHT, is_staff=True)


def attempt(client, address, password, username="moderator"):
    client.logout()
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_two_addresses_in_one_ipv6_64_share_a_limit(client, moderator):
    for number in range(5):
        attempt(client, f"2001:db8:1:2::{number + 1:x}", "wrong guess")

    response = attempt(client, "2001:db8:1:2:ffff::9", RIGHT)

    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


def test_addresses_in_another_64_keep_their_own_limit(client, moderator):
    for number in range(5):
        attempt(client, f"2001:db8:1:2::{number + 1:x}", "wrong guess")

    assert attempt(client, "2001:db8:1:3::1", RIGHT).status_code == 302


def test_ipv4_addresses_are_counted_one_by_one(client, moderator):
    for _ in range(5):
        attempt(client, "203.0.113.9", "wrong guess")

    assert attempt(client, "203.0.113.10", RIGHT).status_code == 302


@pytest.mark.parametrize(
    ("addresses", "then"),
    [
        ([f"2001:db8:1:2::{number + 1:x}" for number in range(40)], "2001:db8:1:2::ffff"),
        ([f"2001:db8:{number + 1:x}::1" for number in range(40)], "192.0.2.200"),
        ([f"198.51.100.{number + 1}" for number in range(40)], "192.0.2.200"),
    ],
    ids=["one-64", "forty-64s", "forty-ipv4"],
)
def test_forty_wrong_passwords_from_forty_addresses_are_stopped(client, moderator, addresses, then):
    for address in addresses:
        attempt(client, address, "wrong guess")

    response = attempt(client, then, RIGHT)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_limit_counts_across_networks(client, moderator):
    for number in range(9):
        attempt(client, f"198.51.100.{number + 1}", "wrong guess")
    assert attempt(client, "192.0.2.200", RIGHT).status_code == 302

    client.logout()
    for number in range(10):
        attempt(client, f"198.51.100.{number + 1}", "wrong guess")
    assert attempt(client, "192.0.2.201", RIGHT).status_code == 429


def test_the_owner_is_emailed_once_per_cooldown(client, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(25):
            attempt(client, f"198.51.100.{number + 1}", "wrong guess")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["moderator@example.com"]
    assert "paused for 15 minutes" in mail.outbox[0].body
    assert "moderator" in mail.outbox[0].body


def test_the_cooldown_ends(client, moderator, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(10):
            attempt(client, f"198.51.100.{number + 1}", "wrong guess")
    assert attempt(client, "192.0.2.200", RIGHT).status_code == 429
    # Trying while paused does not make the pause longer.
    assert AccessAttempt.objects.filter(ip_address="192.0.2.200").count() == 0

    # Sixteen minutes later (the failures are that old).
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    assert attempt(client, "192.0.2.200", RIGHT).status_code == 302

    # A new round of guesses after the cool-down starts a new one, and tells the owner again.
    caches["limits"].clear()
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(10):
            attempt(client, f"198.51.100.{number + 1}", "wrong guess")
    assert len(mail.outbox) == 2


def test_a_spray_across_accounts_from_one_64_is_limited(client, moderator):
    for number in range(20):
        attempt(client, f"2001:db8:5:6::{number + 1:x}", "wrong guess", username=f"user{number}")

    assert attempt(client, "2001:db8:5:6::abcd", RIGHT).status_code == 429
    assert attempt(client, "2001:db8:5:7::1", RIGHT).status_code == 302


def test_a_spray_across_accounts_from_one_ipv4_address_is_limited(client, moderator):
    for number in range(20):
        attempt(client, "203.0.113.50", "wrong guess", username=f"user{number}")

    assert attempt(client, "203.0.113.50", RIGHT).status_code == 429
    assert attempt(client, "203.0.113.51", RIGHT).status_code == 302


def test_without_a_readable_address_failures_still_lock_the_account(client, moderator, settings):
    """A unix socket without TRUSTED_PROXY_UNIX_SOCKET: such requests share one record, never none."""
    settings.TRUSTED_PROXY_UNIX_SOCKET = False
    for _ in range(5):
        attempt(client, "", "wrong guess")

    assert attempt(client, "", RIGHT).status_code == 429

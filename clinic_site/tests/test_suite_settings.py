"""The settings every test runs under, wherever its module lives (the root conftest.py sets them)."""

from django.contrib.auth.models import User


def test_passwords_are_hashed_the_fast_way_in_every_app(db):
    """The site's real hasher is slow on purpose; an app test that makes users must not pay for it."""
    user = User.objects.create_user("reader", password="a long test password")  # noqa: S106

    assert user.password.startswith("md5$")
    assert user.check_password("a long test password")

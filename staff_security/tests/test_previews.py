"""Previews of what readers cannot see yet (draft articles, inactive products) open to staff outside
the admin only once their session has passed its second factor, as the admin itself does."""

import time

import pytest
from django.contrib.auth.models import Permission

from articles.models import Article
from articles.tests.factories import make_article
from shop.tests.factories import make_product
from staff_security.sessions import LAST_SEEN
from tests.support.second_factor import enrol_authenticator
from tests.support.staff import STAFF_PASSWORD, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = make_staff("edith")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_article", "change_product"]))
    return user, enrol_authenticator(user)


@pytest.fixture
def unpublished():
    return [make_article(status=Article.Status.DRAFT), make_product(is_active=False)]


def signed_in_with_password(client):
    client.post("/admin/login/", {"username": "edith", "password": STAFF_PASSWORD})
    return client


@pytest.mark.parametrize("rule", ["required", "relaxed"])
def test_a_session_past_only_the_password_sees_no_preview(client, editor, unpublished, settings, rule):
    settings.STAFF_REQUIRE_SECOND_FACTOR = rule == "required"  # an enrolled account must pass it either way
    signed_in_with_password(client)
    for item in unpublished:
        assert client.get(item.get_absolute_url()).status_code == 404


def test_the_second_factor_opens_the_previews(client, editor, unpublished, required):
    _user, totp = editor
    signed_in_with_password(client)
    client.post("/admin/security/verify/", {"code": totp.now()})
    article, product = unpublished
    assert "Preview — not published" in client.get(article.get_absolute_url()).content.decode()
    assert "Preview — not visible to the public." in client.get(product.get_absolute_url()).content.decode()


def test_staff_without_a_factor_preview_where_none_is_required(client, unpublished, settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = False
    user = make_staff("edith")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_article", "change_product"]))
    signed_in_with_password(client)
    for item in unpublished:
        assert client.get(item.get_absolute_url()).status_code == 200


def verified(client, totp):
    signed_in_with_password(client)
    client.post("/admin/security/verify/", {"code": totp.now()})
    return client


def idle_for(client, seconds):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_past_the_limit_sees_no_preview_and_the_admin_then_ends_it(
    client, editor, unpublished, required, settings
):
    settings.STAFF_IDLE_HOURS = 2
    verified(client, editor[1])
    idle_for(client, 2 * 3600 + 60)
    for item in unpublished:
        assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get("/admin/")["Location"] == "/admin/login/?next=%2Fadmin%2F"


def test_a_session_used_within_the_limit_still_previews(client, editor, unpublished, required, settings):
    settings.STAFF_IDLE_HOURS = 2
    verified(client, editor[1])
    idle_for(client, 2 * 3600 - 60)
    article, product = unpublished
    assert "Preview — not published" in client.get(article.get_absolute_url()).content.decode()
    assert "Preview — not visible to the public." in client.get(product.get_absolute_url()).content.decode()


def test_previews_do_not_keep_an_idle_session_alive(client, editor, unpublished, required, settings):
    """Only the admin's own pages count as staff activity; reading previews leaves the idle clock running."""
    settings.STAFF_IDLE_HOURS = 2
    verified(client, editor[1])
    idle_for(client, 2 * 3600 - 60)
    assert client.get(unpublished[0].get_absolute_url()).status_code == 200
    assert client.session[LAST_SEEN] < int(time.time()) - 2 * 3600 + 120

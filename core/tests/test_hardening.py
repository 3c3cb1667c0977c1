"""Who may keep a copy of which answer, HSTS opt-ins, password sprays and placeholder secrets."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_comment_form_shown_again_with_errors_is_never_stored(client):
    article = make_article()
    response = client.post(reverse("comments:post", args=[article.slug]), {"name": "Ann", "body": ""})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_a_comment_refused_by_the_rate_limit_is_never_stored(client, settings):
    settings.SUBMISSIONS_RATE_LIMIT = 0
    article = make_article()
    data = {"name": "Ann", "email": "ann@example.org", "body": "Thank you, this helped my back."}
    response = client.post(reverse("comments:post", args=[article.slug]), data)
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]
    assert "Thank you, this helped" in response.content.decode()


def test_a_topic_suggestion_shown_again_with_errors_is_never_stored(client):
    response = client.post(reverse("topics:suggest"), {"topic": ""})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_a_page_with_a_csrf_token_is_private(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_a_page_with_a_csrf_token_from_the_page_cache_is_private(client, page_cache):
    article = make_article()
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("name", ["articles:feed", "articles:feed_atom", "sitemap"])
def test_feeds_and_the_sitemap_may_be_kept_by_shared_caches(client, name):
    make_article()
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"


def test_robots_keeps_its_own_cache_header(client):
    assert client.get("/robots.txt")["Cache-Control"] == "max-age=86400, public"


def test_uploads_served_by_django_may_be_kept(rf, settings):
    from django.http import HttpResponse

    from core.middleware import SecurityHeadersMiddleware

    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse(b"\x89PNG", content_type="image/png"))
    response = middleware(rf.get(settings.MEDIA_URL + "photo.png"))
    assert response["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_SECONDS}"


def test_health_answers_are_never_kept(client):
    assert client.get("/healthz")["Cache-Control"] == "no-store"


def run_settings(**environ):
    """Settings read afresh from `environ`, as a new process would."""
    import importlib
    import os
    from unittest import mock

    with mock.patch.dict(os.environ, environ):
        import clinic_site.settings as module

        return importlib.reload(module)


@pytest.fixture
def restore_settings_module():
    yield
    import importlib

    import clinic_site.settings as module

    importlib.reload(module)


def test_hsts_subdomains_and_preload_are_separate_opt_ins(restore_settings_module):
    base = {"DJANGO_DEBUG": "1", "DJANGO_HSTS_SECONDS": "31536000"}
    plain = run_settings(**base, DJANGO_HSTS_INCLUDE_SUBDOMAINS="", DJANGO_HSTS_PRELOAD="")
    assert plain.SECURE_HSTS_SECONDS == 31536000
    assert not plain.SECURE_HSTS_INCLUDE_SUBDOMAINS and not plain.SECURE_HSTS_PRELOAD
    subdomains = run_settings(**base, DJANGO_HSTS_INCLUDE_SUBDOMAINS="1", DJANGO_HSTS_PRELOAD="")
    assert subdomains.SECURE_HSTS_INCLUDE_SUBDOMAINS and not subdomains.SECURE_HSTS_PRELOAD
    preload = run_settings(**base, DJANGO_HSTS_INCLUDE_SUBDOMAINS="", DJANGO_HSTS_PRELOAD="1")
    assert preload.SECURE_HSTS_PRELOAD and not preload.SECURE_HSTS_INCLUDE_SUBDOMAINS


def login_attempt(client, username, password="wrong guess", address="203.0.113.9"):  # noqa: S107
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_an_address_spraying_many_user_names_is_locked_out(client, settings):
    User.objects.create_user("moderator", password="correct horse battery", is_staff=True)
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        login_attempt(client, f"guess-{number}")
    response = login_attempt(client, "moderator", "correct horse battery")
    assert response.status_code == 429
    # Another address still logs in.
    response = login_attempt(client, "moderator", "correct horse battery", address="198.51.100.7")
    assert response.status_code == 302


def test_an_office_address_survives_a_few_typos_by_several_colleagues(client, settings):
    User.objects.create_user("moderator", password="correct horse battery", is_staff=True)
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        login_attempt(client, f"colleague-{number % 4}-{number}")
    response = login_attempt(client, "moderator", "correct horse battery")
    assert response.status_code == 302


def deploy_errors():
    try:
        call_command("check", "--deploy", "--fail-level", "ERROR", tags=["security"])
    except SystemCheckError as error:
        return str(error)
    return ""


def test_the_placeholder_secret_key_fails_the_deploy_check(settings):
    settings.SECRET_KEY = "replace-this-with-the-output-of-secrets-token-urlsafe-50-before-deploying"
    assert "clinic.E005" in deploy_errors()


@pytest.mark.parametrize(
    "salt",
    ["replace-with-another-long-random-string", "too-short-a-salt", "same-as-the-secret"],
)
def test_a_weak_address_hash_salt_fails_the_deploy_check(settings, salt):
    if salt == "same-as-the-secret":
        salt = settings.SECRET_KEY = "k" * 60
    settings.IP_HASH_SALT = salt
    assert "clinic.E006" in deploy_errors()


def test_a_long_own_salt_passes_the_deploy_check(settings):
    settings.IP_HASH_SALT = "a-long-random-salt-of-its-own-0123456789"
    errors = deploy_errors()
    assert "clinic.E005" not in errors and "clinic.E006" not in errors


def test_gunicorn_opens_no_control_socket_unless_given_one_of_its_own(monkeypatch):
    import runpy
    from pathlib import Path

    config = Path(settings.BASE_DIR) / "gunicorn.conf.py"
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    default = runpy.run_path(str(config))
    assert default["control_socket_disable"] is True and "control_socket" not in default
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "/run/clinic/web2.ctl")
    own = runpy.run_path(str(config))
    assert own["control_socket"] == "/run/clinic/web2.ctl" and own["control_socket_disable"] is False

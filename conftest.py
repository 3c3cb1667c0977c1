"""Fixtures and settings shared by every app's tests; the helpers they use live in tests/support/."""

import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest

from tests.support.browser import ARTIFACTS, CHROMIUM
from tests.support.staff import make_staff
from tests.support.submissions import SECRET_KEY, SITE_KEY, FakeGoogle

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself (creating rows for the page under test) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """Each test run gets its own in-memory caches, never the running site's shared file cache,
    and on SQLite a test database in a file, as in production: threads posting at once then
    queue on SQLite's lock as the site's workers do (an in-memory database shared between
    threads refuses concurrent writers outright)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = Path(tempfile.mkdtemp(prefix="clinic-tests-"))
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-pages"},
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-fragments"},
        # Not Redis: rate limits count in the database unless a test points this at Redis.
        "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-limits"},
    }
    # The site's password hasher is slow on purpose; tests make and sign in users by the thousand.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Jobs run at once, in the test's own process and transaction (the locmem outbox sees the mail);
    # the queue's own tests switch to the database backend and a real worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.signals import setting_changed

    # A job declared at import time (core.outbox) has already opened the configured backend.
    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)


def _flushes_the_database(item):
    """A transactional test empties every table when it ends, the rows the data migrations made
    (staff groups, permissions, the site settings row) included."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """As Django's own runner orders them: every test that keeps the migrations' rows first, the
    tests that flush the database last, whatever other plugins did to the order."""
    items.sort(key=_flushes_the_database)
    _skip_browser_tests_without_chromium(config, items)


def _skip_browser_tests_without_chromium(config, items):
    """Browser tests skip with a visible reason without Chromium, unless REQUIRE_BROWSER=1."""
    if CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError("REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium).")
    skip = pytest.mark.skip(reason="no Chromium found: install Debian's chromium to run browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test writes uploads to its own folder, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Tests see freshly rendered pages (and their real query counts); the page cache's
    own tests switch it back on with the `page_cache` fixture."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache, caches

    from pagecache import forget_local_copies

    # Content-type ids are cached per process; a test that flushes the database makes them new.
    forgets = (
        cache.clear,
        caches["pages"].clear,
        caches["fragments"].clear,
        forget_local_copies,
        ContentType.objects.clear_cache,
    )
    for forget in forgets:
        forget()
    yield
    for forget in forgets:
        forget()


@pytest.fixture(autouse=True)
def google():
    fake = FakeGoogle()
    with mock.patch("django_recaptcha.client.recaptcha_request", fake):
        yield fake


@pytest.fixture
def recaptcha_keys(settings):
    settings.RECAPTCHA_PUBLIC_KEY = SITE_KEY
    settings.RECAPTCHA_PRIVATE_KEY = SECRET_KEY
    settings.RECAPTCHA_CONFIGURED = True
    settings.RECAPTCHA_EXPECTED_HOSTNAMES = ["testserver", "localhost", "127.0.0.1"]


@pytest.fixture
def article(db):
    from articles.tests.factories import make_article

    return make_article(title="Easing lower back pain", slug="easing-back-pain")


@pytest.fixture
def staff_member(db):
    """Makes a staff login in the given groups, with only what the data migrations grant them."""
    return make_staff


@pytest.fixture
def moderator(staff_member):
    from core.groups import MODERATORS

    return staff_member("frontdesk", MODERATORS)


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def screenshot_dir():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def console_errors(page):
    """Collects console errors and page errors; a test asserts the list is empty."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors

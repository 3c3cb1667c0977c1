"""Fixtures shared by every app's tests: the browser set-up and small helpers."""

import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import pytest

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
    # Jobs run at once, in the test's own process and transaction (the locmem outbox sees the mail);
    # the queue's own tests switch to the database backend and a real worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.signals import setting_changed

    # A job declared at import time (core.outbox) has already opened the configured backend.
    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)


CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def pytest_collection_modifyitems(config, items):
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


class FakeGoogle:
    """Stands in for django_recaptcha.client.recaptcha_request, so no test ever reaches Google.

    Set `.answer` (the JSON Google would send), `.raw` (bytes) or `.error` (an exception to raise).
    """

    def __init__(self):
        self.answer = {"success": True, "score": 0.95, "action": "comment", "hostname": "testserver"}
        self.raw = None
        self.error = None
        self.calls = 0

    def __call__(self, params):
        self.calls += 1
        if self.error is not None:
            raise self.error
        body = self.raw if self.raw is not None else json.dumps(self.answer).encode()
        return io.BytesIO(body)


def reader_post(fields, **overrides):
    """What a reader's browser posts for `fields`: with the CAPTCHA token and the empty honeypot,
    then `overrides` (a None leaves that field out)."""
    data = {**fields, "captcha": "token-from-the-browser", "website": "", **overrides}
    return {key: value for key, value in data.items() if value is not None}


def google_unreachable(status, reasons, score):
    """Parameters for a table of submission outcomes: each way Google can fail to answer, with the
    status, hold reasons and score the submission must then be stored with."""
    from urllib.error import HTTPError, URLError

    failures = {
        "google-503": HTTPError("https://www.google.com", 503, "down", {}, None),
        "refused": URLError(ConnectionRefusedError(111, "refused")),
        "timeout": TimeoutError("timed out"),
    }
    return [pytest.param({"error": error}, status, reasons, score, id=name) for name, error in failures.items()]


@pytest.fixture(autouse=True)
def google():
    fake = FakeGoogle()
    with mock.patch("django_recaptcha.client.recaptcha_request", fake):
        yield fake


@pytest.fixture
def recaptcha_keys(settings):
    from comments.tests.factories import SECRET_KEY, SITE_KEY

    settings.RECAPTCHA_PUBLIC_KEY = SITE_KEY
    settings.RECAPTCHA_PRIVATE_KEY = SECRET_KEY
    settings.RECAPTCHA_CONFIGURED = True
    settings.RECAPTCHA_EXPECTED_HOSTNAMES = ["testserver", "localhost", "127.0.0.1"]


@pytest.fixture
def article(db):
    from articles.tests.factories import make_article

    return make_article(title="Easing lower back pain", slug="easing-back-pain")


STAFF_PASSWORD = "a long test password"  # noqa: S105


@pytest.fixture
def staff_member(db):
    """Makes a staff login in the given groups, with only what the data migrations grant them."""
    from django.contrib.auth.models import Group, User

    def make(username, *groups, password=STAFF_PASSWORD):
        user = User.objects.create_user(username, f"{username}@clinic.example", password, is_staff=True)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        return user

    return make


def rebuilt_group(name, codenames):
    """The group `name` with the permissions `codenames`: transactional tests flush the rows the
    data migrations made, so browser tests that sign staff in rebuild the group they need."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group


@pytest.fixture
def moderator(staff_member):
    from core.groups import MODERATORS

    return staff_member("frontdesk", MODERATORS)


def sign_in(page, live_server, username, password, *, next_path):
    """Sign in through the admin's own login form in a real browser, landing on `next_path`."""
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")


def run_admin_action(page, live_server, username, *, changelist, pk, action):
    """Staff member `username` signs in, ticks row `pk` of the admin list `changelist` and runs
    the bulk action `action`, as a moderator does."""
    import re

    sign_in(page, live_server, username, STAFF_PASSWORD, next_path=changelist)
    page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.select_option('select[name="action"]', action)
    page.get_by_role("button", name=re.compile("Go|Run")).click()


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


def type_through(page, *entries):
    """Fills a form from the keyboard: types each entry into the focused field, then Tab to the
    next; an entry in brackets is a key to press instead ("[Space]" ticks a checkbox)."""
    for entry in entries:
        if entry.startswith("[") and entry.endswith("]"):
            page.keyboard.press(entry[1:-1])
        else:
            page.keyboard.type(entry)
        page.keyboard.press("Tab")


def assert_accessible(page):
    """axe-core (bundled with axe-playwright-python) finds no violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()

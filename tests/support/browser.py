"""Driving Debian's Chromium through Playwright: where it is, signing staff in, typing, and axe-core."""

import re
import shutil
import time
from pathlib import Path

from tests.support.staff import STAFF_PASSWORD

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "artifacts"


def sign_in(page, live_server, username, password, *, next_path):
    """Sign in through the admin's own login form in a real browser, landing on `next_path`."""
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")


def run_admin_action(page, live_server, username, *, changelist, pk, action):
    """Staff member `username` signs in, ticks row `pk` of the admin list `changelist` and runs
    the bulk action `action`, as a moderator does."""
    sign_in(page, live_server, username, STAFF_PASSWORD, next_path=changelist)
    page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.select_option('select[name="action"]', action)
    page.get_by_role("button", name=re.compile("Go|Run")).click()


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


def wait_for_condition(page, expression, *, timeout=10):
    """Waits until `expression` is true in the page. Playwright's `wait_for_function` polls with code
    it builds from a string, which the site's Content Security Policy (no 'unsafe-eval') refuses
    whenever the first check is false; `evaluate` runs outside the page's policy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)

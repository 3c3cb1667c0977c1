"""Staff sign-in in Chromium: an editor's first sign-in (password, authenticator app, recovery
codes, admin) at 375 and 1280 px with no axe-core violation, and a passkey registered and used
through Chrome's virtual authenticator (served on localhost: passkeys need a secure context)."""

import re
from urllib.parse import urlsplit

import pyotp
import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, assert_accessible
from tests.support.second_factor import enrol_authenticator
from tests.support.staff import STAFF_PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {375: {"width": 375, "height": 740}, 1280: {"width": 1280, "height": 800}}
SCREENS = ARTIFACTS / "screens"
SLOW = 30_000  # milliseconds


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def open_page(browser):
    contexts = []

    def opener(width):
        context = browser.new_context(viewport=VIEWPORTS[width])
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def shot(page, name, width):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"sign-in-{name}-{width}.png"), full_page=True)


def password_step(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_an_editor_enrols_and_reaches_the_admin_with_the_keyboard(open_page, live_server, width):
    assert urlsplit(live_server.url).hostname == "localhost"
    make_staff("edith")
    page = open_page(width)
    password_step(page, live_server, "edith")

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    shot(page, "enrol", width)
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    # The code box has the focus: the editor types the code and presses Enter.
    expect(page.get_by_label("Code from your authenticator app")).to_be_focused()
    page.keyboard.type(pyotp.TOTP(key).now())
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the codes (text file)").click()
    assert download.value.suggested_filename == "clinic-recovery-codes.txt"
    assert_accessible(page)
    shot(page, "recovery-codes", width)
    saved = page.get_by_role("button", name="I have saved them")
    saved.focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("link", name="Sign-in security")).to_be_visible()
    page.get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_role("heading", name="Sign-in security", level=1)).to_be_visible()
    assert_accessible(page)
    shot(page, "security", width)


def test_a_returning_editor_signs_in_with_a_code(open_page, live_server):
    user = make_staff("edith")
    totp = enrol_authenticator(user)
    page = open_page(1280)
    password_step(page, live_server, "edith")
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    # The code box has the focus once the page has loaded: the editor just types.
    expect(page.get_by_label(re.compile("Code from your authenticator app"))).to_be_focused()
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("That code did not work")
    assert_accessible(page)
    shot(page, "verify-wrong-code", 1280)
    # django-otp refuses any code for a second after a wrong one (its throttle), as a person
    # typing would never notice; the test waits as long.
    page.wait_for_timeout(1500)
    page.get_by_label(re.compile("Code from your authenticator app")).fill(totp.now())
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/admin/")


def test_a_passkey_is_added_then_signs_in(open_page, live_server):
    user = make_staff("edith")
    totp = enrol_authenticator(user)
    page = open_page(1280)
    # A passkey ceremony is two round trips to the site and one to the authenticator: on a busy
    # machine it takes longer than Playwright's default five seconds.
    page.set_default_timeout(SLOW)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    password_step(page, live_server, "edith")
    page.get_by_label(re.compile("Code from your authenticator app")).fill(totp.now())
    page.keyboard.press("Enter")
    # The code's answer lands first: going on before it would cut that navigation short.
    expect(page).to_have_url(f"{live_server.url}/admin/", timeout=SLOW)
    page.goto(f"{live_server.url}/admin/security/")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text(re.compile(r"^Passkey: added|: added"))).to_be_visible(timeout=SLOW)
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1
    shot(page, "passkey-added", 1280)

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    # The passkey button needs the translation catalog: held back, the button waits for it too,
    # so a reader can never click one that does nothing.
    held = []
    page.route("**/jsi18n/", lambda route: held.append(route))
    password_step(page, live_server, "edith")
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible(timeout=SLOW)
    page.wait_for_timeout(500)
    expect(page.get_by_role("button", name="Use a passkey")).to_have_count(0)
    assert len(held) == 1
    held[0].continue_()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(f"{live_server.url}/admin/", timeout=SLOW)
    assert WebAuthnCredential.objects.get(user=user).last_used_at is not None

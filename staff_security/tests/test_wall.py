"""Where a second factor is required, a staff member without a verified session reaches nothing of
the admin: every page redirects to the enrolment (or second-step) page, every POST is refused."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver

from tests.support.second_factor import enrol_authenticator
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db

OPEN = {"login", "logout"}
SAMPLES = {"object_id": "1", "app_label": "auth", "content_type_id": "1", "id": "1", "url": "no-such-page/"}


def admin_paths(patterns=None, prefix="/admin/"):
    """A concrete address for every pattern of the admin site, with sample values for its parts."""
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        route = str(pattern.pattern)
        route = re.sub(r"\(\?P<(\w+)>([^)]*)\)", lambda m: SAMPLES.get(m.group(1), m.group(2).split("|")[0]), route)
        route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES.get(m.group(1), "1"), route)
        route = route.lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(pattern, URLResolver):
            yield from admin_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and pattern.name not in OPEN:
            yield prefix + route


PATHS = sorted(set(admin_paths()))


def test_the_walk_sees_the_whole_admin():
    assert len(PATHS) > 100
    assert {"/admin/", "/admin/password_change/", "/admin/auth/user/1/change/", "/admin/articles/article/add/"} <= set(
        PATHS
    )


@pytest.fixture
def unenrolled(client, required):
    client.force_login(_superuser())
    return client


def _superuser():
    user = make_staff("newcomer")
    user.is_superuser = True
    user.save()
    return user


def test_every_admin_page_redirects_an_unenrolled_staff_member_to_enrolment(unenrolled):
    wrong = {}
    for path in PATHS:
        response = unenrolled.get(path)
        if response.status_code != 302 or not response["Location"].startswith("/admin/security/authenticator/?next="):
            wrong[path] = (response.status_code, response.get("Location"))
    assert not wrong


def test_every_admin_post_of_an_unenrolled_staff_member_is_refused(unenrolled):
    wrong = {path: status for path in PATHS if (status := unenrolled.post(path, {"x": "1"}).status_code) != 403}
    assert not wrong


def test_an_enrolled_staff_member_is_sent_to_the_second_step(client, required):
    user = _superuser()
    enrol_authenticator(user)
    client.force_login(user)
    for path in ("/admin/", "/admin/auth/user/", "/admin/security/"):
        assert client.get(path)["Location"].startswith("/admin/security/verify/?next=")
    assert client.post("/admin/auth/user/add/", {"username": "x"}).status_code == 403


def test_the_enrolment_page_sign_out_and_public_pages_stay_open(unenrolled):
    assert unenrolled.get("/admin/security/authenticator/").status_code == 200
    assert unenrolled.get("/robots.txt").status_code == 200
    assert unenrolled.post("/admin/logout/").status_code in (200, 302)
    assert unenrolled.get("/admin/")["Location"].startswith("/admin/login/")


def test_where_the_rule_is_relaxed_an_unenrolled_staff_member_works_as_before(client, settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = False
    client.force_login(_superuser())
    assert client.get("/admin/").status_code == 200


def settings_value(name, **env):
    """A setting as a fresh process reads it from `env` (the suite's own settings say DEBUG on)."""
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "STAFF_"))}
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "clinic_site.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "clinic.example",
    "SITE_URL": "https://clinic.example",
}


def test_the_rule_is_on_in_production_unless_relaxed_and_off_in_development_unless_asked():
    assert settings_value("STAFF_REQUIRE_SECOND_FACTOR", **PRODUCTION) == "True"
    assert settings_value("STAFF_REQUIRE_SECOND_FACTOR", **PRODUCTION, STAFF_REQUIRE_SECOND_FACTOR="0") == "False"
    assert settings_value("STAFF_REQUIRE_SECOND_FACTOR", DJANGO_DEBUG="1") == "False"
    assert settings_value("STAFF_REQUIRE_SECOND_FACTOR", DJANGO_DEBUG="1", STAFF_REQUIRE_SECOND_FACTOR="1") == "True"


def test_public_pages_of_a_signed_in_staff_member_are_left_alone(client, required):
    """The wall and the idle clock stand at the admin's door only: readers' pages keep their headers."""
    client.force_login(_superuser())
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=86400, public"


def test_check_deploy_warns_when_production_runs_without_the_second_factor(settings):
    from staff_security.checks import second_factor_required

    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    assert second_factor_required(None) == []
    settings.STAFF_REQUIRE_SECOND_FACTOR = False
    assert [warning.id for warning in second_factor_required(None)] == ["staff_security.W001"]

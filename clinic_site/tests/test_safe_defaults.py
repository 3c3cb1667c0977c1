"""An unset environment is the safe one: DEBUG off, no key but this checkout's own, and no key in the tree."""

import os
import shutil
import stat
import subprocess

import pytest

from clinic_site.development_key import development_secret_key
from clinic_site.tests.fresh_process import PROJECT, python_in_project

PRODUCTION = {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "clinic.example.org"}


def settings_in_a_new_process(expression, **environ):
    """`expression` evaluated on clinic_site.settings imported by a fresh Python with only `environ` set."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environ}
    return python_in_project("-c", f"import clinic_site.settings as s; print({expression})", env=env)


def test_debug_is_off_when_the_environment_says_nothing():
    result = settings_in_a_new_process("s.DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("value", "debug"),
    [("1", True), ("true", True), ("yes", True), ("on", True), ("TRUE", True)]
    + [("0", False), ("false", False), ("no", False), ("off", False), ("", False), ("  ", False), ("debug", False)],
)
def test_debug_is_on_only_for_a_true_value(value, debug):
    result = settings_in_a_new_process("s.DEBUG", DJANGO_DEBUG=value, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(debug)


def test_an_empty_environment_refuses_to_start_even_beside_a_development_key():
    development_secret_key()  # the checkout's own key file exists, as after `make setup`
    result = settings_in_a_new_process("s.SECRET_KEY")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_a_blank_secret_key_counts_as_none():
    result = settings_in_a_new_process("s.SECRET_KEY", **{**PRODUCTION, "DJANGO_SECRET_KEY": "   "})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_signs_with_this_checkouts_own_key():
    result = settings_in_a_new_process("s.SECRET_KEY", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    key = (PROJECT / ".dev-secret-key").read_text().strip()
    assert result.stdout.strip() == key
    assert len(key) >= 50


def test_the_development_key_is_made_once_private_and_kept(tmp_path):
    path = tmp_path / ".dev-secret-key"
    first = development_secret_key(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert development_secret_key(path) == first
    assert development_secret_key(tmp_path / "another-checkout") != first


def test_the_development_key_file_is_never_committed():
    """By the project's own .gitignore, so every clone ignores it."""
    assert {".dev-secret-key", "/.dev-secret-key"} & set((PROJECT / ".gitignore").read_text().split())


def test_the_key_that_used_to_be_committed_is_nowhere_in_the_tree():
    old_key = "-".join(["development", "only", "key", "not", "for", "production", "3f9a8c1e7b2d4a6f9e0c5b8d7a1f2e4c"])
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is needed to list the checkout's files")
    listed = subprocess.run(
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    )
    holding = [
        name
        for name in listed.stdout.decode().split("\0")
        if name and (PROJECT / name).is_file() and old_key.encode() in (PROJECT / name).read_bytes()
    ]
    assert holding == []


def test_site_url_defaults_to_the_development_server_in_debug_only():
    debug = settings_in_a_new_process("repr(s.SITE_URL)", DJANGO_DEBUG="1")
    assert debug.stdout.strip() == repr("http://127.0.0.1:8000")
    production = settings_in_a_new_process("repr(s.SITE_URL)", **PRODUCTION)
    assert production.stdout.strip() == repr("")
    given = settings_in_a_new_process("repr(s.SITE_URL)", SITE_URL=" https://clinic.org/ ", **PRODUCTION)
    assert given.stdout.strip() == repr("https://clinic.org")


@pytest.mark.parametrize(
    "command", [["check"], ["makemigrations", "--check", "--dry-run"]], ids=["check", "makemigrations"]
)
def test_commands_that_only_read_the_code_run_in_a_checkout_with_nothing_set(command):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    result = python_in_project("manage.py", *command, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "ImproperlyConfigured" not in result.stderr


@pytest.mark.parametrize("command", [["check", "--deploy"], ["migrate", "--plan"]], ids=["check-deploy", "migrate"])
def test_commands_that_judge_or_touch_the_site_still_refuse_an_environment_that_says_nothing(command):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    result = python_in_project("manage.py", *command, env=env, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("argv", "environ", "development"),
    [
        (["manage.py", "check"], {}, True),
        (["manage.py", "makemigrations", "--check", "--dry-run"], {}, True),
        (["manage.py", "--help"], {}, True),
        (["manage.py"], {}, True),
        (["manage.py", "check", "--deploy"], {}, False),
        (["manage.py", "runserver"], {}, False),
        (["manage.py", "migrate"], {}, False),
        (["manage.py", "showmigrations"], {}, False),
        (["manage.py", "check"], {"DJANGO_SECRET_KEY": "k" * 60}, False),
        (["manage.py", "check"], {"DJANGO_DEBUG": "0"}, False),
    ],
)
def test_only_commands_that_read_the_code_get_the_development_defaults(argv, environ, development):
    from clinic_site.offline_commands import use_development_defaults

    environ = dict(environ)
    before = dict(environ)
    assert use_development_defaults(argv, environ) is development
    assert environ == ({**before, "DJANGO_DEBUG": "1"} if development else before)

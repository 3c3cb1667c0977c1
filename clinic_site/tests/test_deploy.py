"""Production is configured by environment alone, and misconfiguration fails loudly."""

import os
import secrets

import pytest

from clinic_site.tests.fresh_process import PROJECT, python_in_project


def documented_environment():
    """The production values documented in .env.example, on top of a clean environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    for line in (PROJECT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    return env


# What .env.example leaves for the operator to fill in.
PLACEHOLDERS = ["DJANGO_SECRET_KEY", "IP_HASH_SALT", "RECAPTCHA_PUBLIC_KEY", "RECAPTCHA_PRIVATE_KEY", "SITE_URL"]


def production_environment():
    """.env.example as an operator fills it in: its values, with real secrets for the placeholders."""
    return {
        **documented_environment(),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "IP_HASH_SALT": secrets.token_urlsafe(32),
        "RECAPTCHA_PUBLIC_KEY": "6Lc" + secrets.token_urlsafe(20),
        "RECAPTCHA_PRIVATE_KEY": "6Lc" + secrets.token_urlsafe(20),
        "SITE_URL": "https://riverside-pain.example.net",
        "BACKUP_KEY": secrets.token_urlsafe(32),
    }


def manage(*args, env):
    return python_in_project("manage.py", *args, env=env, timeout=120)


def test_check_deploy_passes_with_the_documented_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


@pytest.mark.parametrize("wrap", ["{}", '"{}"', "'{}'"], ids=["as-written", "double-quoted", "single-quoted"])
def test_check_deploy_refuses_the_placeholders_of_the_example_file(wrap):
    env = documented_environment()
    for name in PLACEHOLDERS:
        env[name] = wrap.format(env[name])
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    for check_id in ("clinic.E005", "clinic.E006", "clinic.E010", "clinic.E012"):
        assert check_id in result.stderr, result.stderr


def test_check_deploy_fails_without_recaptcha_keys():
    env = production_environment()
    del env["RECAPTCHA_PUBLIC_KEY"], env["RECAPTCHA_PRIVATE_KEY"]
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "reCAPTCHA keys are not set" in result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = production_environment()
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must" in result.stderr

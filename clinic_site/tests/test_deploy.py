"""Production is configured by environment alone, and misconfiguration fails loudly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def documented_environment():
    """The production values documented in .env.example, on top of a clean environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    for line in (PROJECT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    return env


def production_environment():
    """.env.example as an operator fills it in: its values, with real secrets for the placeholders."""
    return {
        **documented_environment(),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "IP_HASH_SALT": secrets.token_urlsafe(32),
        "BACKUP_KEY": secrets.token_urlsafe(32),
    }


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_documented_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_check_deploy_refuses_the_placeholder_secrets_of_the_example_file():
    result = manage("check", "--deploy", env=documented_environment())
    assert result.returncode != 0
    assert "clinic.E005" in result.stderr and "clinic.E006" in result.stderr


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

"""`check --deploy` refuses every value an operator copied from .env.example without filling it in."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

PROJECT = Path(__file__).resolve().parents[2]


def example_value(name):
    for line in (PROJECT / ".env.example").read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == name:
            return value.strip()
    raise LookupError(name)


# How a copied value arrives: as written, or wrapped the way an env file or a shell leaves it.
WRAPPINGS = {
    "as-written": "{}",
    "double-quoted": '"{}"',
    "single-quoted": "'{}'",
    "padded": "  {}  ",
    "quoted-and-padded": ' "{}"\t',
}
# setting: (variable in .env.example, the check's id)
PLACEHOLDER_SETTINGS = {
    "SECRET_KEY": ("DJANGO_SECRET_KEY", "clinic.E005"),
    "IP_HASH_SALT": ("IP_HASH_SALT", "clinic.E006"),
    "RECAPTCHA_PUBLIC_KEY": ("RECAPTCHA_PUBLIC_KEY", "clinic.E010"),
    "RECAPTCHA_PRIVATE_KEY": ("RECAPTCHA_PRIVATE_KEY", "clinic.E010"),
    "SITE_URL": ("SITE_URL", "clinic.E012"),
}
FILLED_IN = {
    "SECRET_KEY": "a-real-secret-key-of-fifty-random-characters-0123456789",
    "IP_HASH_SALT": "a-real-salt-of-its-own-0123456789abcdef",
    "RECAPTCHA_PUBLIC_KEY": "6Lc-real-site-key",
    "RECAPTCHA_PRIVATE_KEY": "6Lc-real-secret-key",
    "RECAPTCHA_CONFIGURED": True,
    "BACKUP_KEY": "a-real-backup-key-0123456789abcdef0123456789",
    "SITE_URL": "https://riverside-pain.example.net",
    "ALLOWED_HOSTS": ["riverside-pain.example.net"],
}


def deploy_check_errors():
    try:
        call_command("check", deploy=True)
    except SystemCheckError as error:
        return str(error)
    return ""


def test_filled_in_values_raise_none_of_these_errors():
    with override_settings(**FILLED_IN):
        errors = deploy_check_errors()
    for check_id in ("clinic.E005", "clinic.E006", "clinic.E010", "clinic.E011", "clinic.E012", "clinic.E013"):
        assert check_id not in errors


@pytest.mark.parametrize("wrapping", list(WRAPPINGS.values()), ids=list(WRAPPINGS))
@pytest.mark.parametrize("setting", list(PLACEHOLDER_SETTINGS))
def test_each_placeholder_is_refused_however_it_is_wrapped(setting, wrapping):
    variable, check_id = PLACEHOLDER_SETTINGS[setting]
    placeholder = wrapping.format(example_value(variable))
    with (
        override_settings(**{**FILLED_IN, setting: placeholder}),
        pytest.raises(SystemCheckError, match=check_id) as refused,
    ):
        call_command("check", deploy=True)
    assert variable in str(refused.value)


@pytest.mark.parametrize("wrapping", list(WRAPPINGS.values()), ids=list(WRAPPINGS))
def test_a_placeholder_backup_key_is_refused(settings, wrapping):
    """The example leaves BACKUP_KEY empty or out, so a placeholder there is known by its look."""
    with (
        override_settings(**{**FILLED_IN, "BACKUP_KEY": wrapping.format("replace-with-a-backup-key")}),
        pytest.raises(SystemCheckError, match="clinic.E011") as refused,
    ):
        call_command("check", deploy=True)
    assert "BACKUP_KEY" in str(refused.value)


@pytest.mark.parametrize("setting", ["SECRET_KEY", "RECAPTCHA_PRIVATE_KEY"])
def test_a_placeholder_is_refused_even_without_the_example_file(setting, settings, tmp_path):
    """An image or package shipped without .env.example still refuses the example's kind of value."""
    variable, check_id = PLACEHOLDER_SETTINGS[setting]
    settings.BASE_DIR = tmp_path
    with (
        override_settings(**{**FILLED_IN, setting: example_value(variable)}),
        pytest.raises(SystemCheckError, match=check_id),
    ):
        call_command("check", deploy=True)


@pytest.mark.parametrize(
    "site_url",
    ["", "http://riverside-pain.example.net", "https://", "riverside-pain.example.net", '"https://clinic.org"'],
    ids=["unset", "plain-http", "no-host", "no-scheme", "quoted"],
)
def test_a_site_url_that_is_not_https_is_refused(site_url):
    with override_settings(**{**FILLED_IN, "SITE_URL": site_url}), pytest.raises(SystemCheckError, match="clinic.E012"):
        call_command("check", deploy=True)


@pytest.mark.parametrize("hosts", [[], [""], ["  "]], ids=["empty", "one-empty-name", "blank-name"])
def test_no_allowed_host_is_refused(hosts):
    with (
        override_settings(**{**FILLED_IN, "ALLOWED_HOSTS": hosts}),
        pytest.raises(SystemCheckError, match="clinic.E013"),
    ):
        call_command("check", deploy=True)


def test_a_backup_key_that_is_not_configured_at_all_is_not_an_error():
    """BACKUP_KEY is checked only where the backups read one."""
    with override_settings(**FILLED_IN):
        from django.conf import settings

        del settings.BACKUP_KEY
        assert "clinic.E011" not in deploy_check_errors()

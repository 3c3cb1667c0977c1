"""Deploy checks that make a misconfigured production start fail loudly."""

import ipaddress
from pathlib import Path

from django.conf import settings
from django.core import checks

MIN_SALT_LENGTH = 32


@checks.register(checks.Tags.security, deploy=True)
def recaptcha_keys_check(app_configs, **kwargs):
    errors = []
    if not settings.RECAPTCHA_CONFIGURED:
        errors.append(
            checks.Error(
                "reCAPTCHA keys are not set: every comment and suggestion would wait for review without a spam score.",
                hint="Set RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY (reCAPTCHA v3 keys).",
                id="clinic.E001",
            )
        )
    if settings.RECAPTCHA_VERIFY:
        errors.append(
            checks.Error(
                "RECAPTCHA_VERIFY is set: CAPTCHA verification is replaced by a local stand-in.",
                hint="Unset RECAPTCHA_VERIFY outside load tests and benchmarks.",
                id="clinic.E002",
            )
        )
    return errors


@checks.register(checks.Tags.security)
def trusted_proxies_check(app_configs, **kwargs):
    errors = []
    for entry in settings.TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"TRUSTED_PROXIES lists {entry!r}, which is neither an address nor a network.",
                    hint="List addresses or networks, comma-separated: 10.0.0.5,10.1.0.0/16,::1",
                    id="clinic.E003",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def proxy_trust_check(app_configs, **kwargs):
    if settings.BEHIND_TLS_PROXY and not settings.TRUSTED_PROXIES:
        return [
            checks.Error(
                "DJANGO_BEHIND_TLS_PROXY is on but no proxy is trusted: every reader would share the "
                "proxy's address, so one reader's rate limit or lockout would stop them all.",
                hint="Set TRUSTED_PROXIES to the addresses of the proxies in front of the site.",
                id="clinic.E004",
            )
        ]
    return []


def _example_values(*names):
    """The placeholder values `.env.example` gives for `names`, so a copied file never goes live."""
    path = Path(settings.BASE_DIR) / ".env.example"
    values = set()
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition("=")
            if name.strip() in names and value.strip():
                values.add(value.strip())
    return values


@checks.register(checks.Tags.security, deploy=True)
def secrets_check(app_configs, **kwargs):
    errors = []
    placeholders = _example_values("DJANGO_SECRET_KEY", "IP_HASH_SALT")
    if settings.SECRET_KEY in placeholders:
        errors.append(
            checks.Error(
                "DJANGO_SECRET_KEY is the placeholder from .env.example.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="clinic.E005",
            )
        )
    salt = settings.IP_HASH_SALT
    if salt:
        if salt in placeholders:
            message = "IP_HASH_SALT is the placeholder from .env.example."
        elif salt == settings.SECRET_KEY:
            message = "IP_HASH_SALT equals DJANGO_SECRET_KEY: the secret key must never become a hashing salt."
        elif len(salt) < MIN_SALT_LENGTH:
            message = (
                f"IP_HASH_SALT is shorter than {MIN_SALT_LENGTH} characters: address hashes could be guessed back."
            )
        else:
            message = ""
        if message:
            errors.append(
                checks.Error(
                    message,
                    hint="Set IP_HASH_SALT to its own random value, or leave it empty to derive one from the key.",
                    id="clinic.E006",
                )
            )
    return errors

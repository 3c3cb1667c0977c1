"""Deploy checks that make a misconfigured production start fail loudly."""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

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


def bare(value):
    """`value` as an operator meant it: without the spaces and quotes an env file or a shell left around it."""
    value = str(value).strip()
    while len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
    return value


def example_values():
    """{variable: value} as `.env.example` gives them, so a copied file never goes live."""
    path = Path(settings.BASE_DIR) / ".env.example"
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition("=")
            if not name.lstrip().startswith("#") and bare(value):
                values[name.strip()] = bare(value)
    return values


# How the placeholders of `.env.example` begin: refused even where that file is not beside the code.
PLACEHOLDER_PREFIXES = ("replace-with", "replace-this", "your-", "change-me")

# Settings whose `.env.example` value is a placeholder to replace: setting, its variable, the check id.
# BACKUP_KEY is checked wherever the backups read one.
PLACEHOLDER_SETTINGS = [
    ("SECRET_KEY", "DJANGO_SECRET_KEY", "clinic.E005"),
    ("IP_HASH_SALT", "IP_HASH_SALT", "clinic.E006"),
    ("RECAPTCHA_PUBLIC_KEY", "RECAPTCHA_PUBLIC_KEY", "clinic.E010"),
    ("RECAPTCHA_PRIVATE_KEY", "RECAPTCHA_PRIVATE_KEY", "clinic.E010"),
    ("BACKUP_KEY", "BACKUP_KEY", "clinic.E011"),
]


@checks.register(checks.Tags.security, deploy=True)
def placeholders_check(app_configs, **kwargs):
    examples = example_values()
    errors = []
    for setting, variable, check_id in PLACEHOLDER_SETTINGS:
        value = bare(getattr(settings, setting, "") or "")
        if value and (value == examples.get(variable) or value.lower().startswith(PLACEHOLDER_PREFIXES)):
            errors.append(
                checks.Error(
                    f"{variable} is the placeholder from .env.example.",
                    hint=f"Set {variable} to a value of your own (random, for a key or salt: "
                    "python -c 'import secrets; print(secrets.token_urlsafe(50))').",
                    id=check_id,
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def secrets_check(app_configs, **kwargs):
    salt = bare(settings.IP_HASH_SALT)
    if not salt or salt == example_values().get("IP_HASH_SALT") or salt.lower().startswith(PLACEHOLDER_PREFIXES):
        return []  # placeholders_check says so
    if salt == bare(settings.SECRET_KEY):
        message = "IP_HASH_SALT equals DJANGO_SECRET_KEY: the secret key must never become a hashing salt."
    elif len(salt) < MIN_SALT_LENGTH:
        message = f"IP_HASH_SALT is shorter than {MIN_SALT_LENGTH} characters: address hashes could be guessed back."
    else:
        return []
    return [
        checks.Error(
            message,
            hint="Set IP_HASH_SALT to its own random value, or leave it empty to derive one from the key.",
            id="clinic.E006",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """Links in emails go to SITE_URL: a reader must never be sent to plain HTTP or to an example host."""
    site_url = settings.SITE_URL or ""
    address = urlsplit(site_url)
    if not site_url.strip():
        problem = "SITE_URL is not set"
    elif bare(site_url).rstrip("/") == example_values().get("SITE_URL", "").rstrip("/"):
        problem = "SITE_URL is the placeholder from .env.example"
    elif address.scheme != "https" or not address.hostname:
        problem = f"SITE_URL {site_url!r} is not an https address"
    else:
        return []
    return [
        checks.Error(
            f"{problem}: links in emails would not lead readers to the site over HTTPS.",
            hint="Set SITE_URL to the site's public address, for example https://clinic.org",
            id="clinic.E012",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def allowed_hosts_check(app_configs, **kwargs):
    if any(host.strip() for host in settings.ALLOWED_HOSTS):
        return []
    return [
        checks.Error(
            "ALLOWED_HOSTS names no host: the site would refuse every request.",
            hint="Set DJANGO_ALLOWED_HOSTS to the site's host names, comma-separated: clinic.org,www.clinic.org",
            id="clinic.E013",
        )
    ]

"""Deploy checks that make a misconfigured production start fail loudly."""

import ipaddress

from django.conf import settings
from django.core import checks


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

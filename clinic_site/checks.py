"""Deploy checks that make a misconfigured production start fail loudly."""

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

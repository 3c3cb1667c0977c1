"""reCAPTCHA v3 as a signal, never as a gate.

django-recaptcha 4.1's field raises a validation error on a low score and hides the score;
a timeout or refused connection escapes `form.is_valid()` as a 500. The clinic keeps every
submission and lets the policy decide, so `CaptchaField.clean()` never fails: it returns a
`CaptchaResult` with the score, the action, the hostname check and a problem code.
"""

import logging
from dataclasses import dataclass
from urllib.error import URLError

from django.conf import settings
from django.utils.module_loading import import_string
from django_recaptcha import client
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV3

logger = logging.getLogger(__name__)

# Problem codes double as hold reasons (see submissions.models.HoldReason).
NOT_CONFIGURED = "captcha_not_configured"
MISSING = "captcha_missing"
INVALID = "captcha_invalid"
WRONG_ACTION = "captcha_wrong_action"
WRONG_HOSTNAME = "captcha_wrong_hostname"
UNVERIFIABLE = "captcha_unverifiable"


@dataclass(frozen=True)
class CaptchaResult:
    score: float | None = None
    action: str = ""
    hostname_ok: bool | None = None
    problem: str = ""  # empty when the token verified cleanly

    @property
    def verified(self):
        return not self.problem and self.score is not None


def is_configured():
    return bool(settings.RECAPTCHA_PUBLIC_KEY and settings.RECAPTCHA_PRIVATE_KEY)


def site_key():
    """The public key for forms.js, or "" so no Google script is ever requested."""
    return settings.RECAPTCHA_PUBLIC_KEY if is_configured() else ""


def _verify_call():
    """The verification call: `RECAPTCHA_VERIFY` when set (load tests on loopback), else
    django-recaptcha's client.

    A replacement takes the keyword arguments of `client.submit` (recaptcha_response, private_key,
    remoteip) and returns a `django_recaptcha.client.RecaptchaResponse`.
    """
    if settings.RECAPTCHA_VERIFY:
        return import_string(settings.RECAPTCHA_VERIFY)
    return client.submit


def verify_token(token, *, action, remote_ip=""):
    """Ask Google about `token`; every failure becomes a problem code, never an exception."""
    if not is_configured():
        return CaptchaResult(problem=NOT_CONFIGURED)
    if not token:
        return CaptchaResult(problem=MISSING)
    try:
        response = _verify_call()(
            recaptcha_response=token, private_key=settings.RECAPTCHA_PRIVATE_KEY, remoteip=remote_ip
        )
    except (URLError, TimeoutError, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        # URLError covers HTTPError and refused connections; ValueError covers invalid JSON;
        # KeyError an answer without "success"; AttributeError a JSON answer that is not an object.
        logger.warning("reCAPTCHA verification failed: %r", error)
        return CaptchaResult(problem=UNVERIFIABLE)
    extra = response.extra_data or {}
    received_action = str(response.action or "")[:40]
    score = _as_score(extra.get("score"))
    hostname_ok = _hostname_ok(extra.get("hostname"))
    if not response.is_valid:
        logger.info("reCAPTCHA token refused: %s", response.error_codes)
        return CaptchaResult(score=None, action=received_action, hostname_ok=hostname_ok, problem=INVALID)
    if received_action != action:
        return CaptchaResult(score=score, action=received_action, hostname_ok=hostname_ok, problem=WRONG_ACTION)
    if hostname_ok is False:
        return CaptchaResult(score=score, action=received_action, hostname_ok=False, problem=WRONG_HOSTNAME)
    if score is None:
        return CaptchaResult(action=received_action, hostname_ok=hostname_ok, problem=UNVERIFIABLE)
    return CaptchaResult(score=score, action=received_action, hostname_ok=hostname_ok)


def _as_score(value):
    try:
        score = float(value)
    except (TypeError, ValueError):
        return None
    return score if 0.0 <= score <= 1.0 else None


def _hostname_ok(hostname):
    expected = settings.RECAPTCHA_EXPECTED_HOSTNAMES
    if not expected or hostname is None:
        return None
    return str(hostname).lower() in {host.lower() for host in expected}


class CaptchaWidget(ReCaptchaV3):
    """A hidden input that static/js/forms.js fills at submit time (no inline script)."""

    template_name = "django_recaptcha/widget_v3.html"

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        for unused in ("data-sitekey", "data-callback", "data-size", "data-widget-uuid", "required_score"):
            attrs.pop(unused, None)
        attrs["data-recaptcha-token"] = True
        return attrs


class CaptchaField(ReCaptchaField):
    """A reCAPTCHA v3 field whose cleaned value is a `CaptchaResult`.

    Build it inside the form's `__init__` (see `submissions.forms.SubmissionForm`): the library
    reads keys when the field is built, and tests switch keys per test.
    """

    def __init__(self, *, action, **kwargs):
        kwargs.setdefault("label", "")
        super().__init__(
            public_key=settings.RECAPTCHA_PUBLIC_KEY or "not-configured",
            private_key=settings.RECAPTCHA_PRIVATE_KEY or "not-configured",
            widget=CaptchaWidget(action=action),
            **kwargs,
        )
        self.required = False
        self.action = action
        self.remote_ip = ""

    def clean(self, value):
        return verify_token((value or "").strip()[:4000], action=self.action, remote_ip=self.remote_ip)

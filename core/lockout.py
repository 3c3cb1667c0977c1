"""Admin sign-in limits: one account from one network, one account from anywhere, one network.

django-axes counts failures per rule of `AXES_LOCKOUT_PARAMETERS` but compares every rule with one
`AXES_FAILURE_LIMIT`. Each rule here has its own limit: a guesser who changes address at every try
still meets the account's own limit (`ACCOUNT_LOCKOUT_FAILURES`), and a password spray (a few
guesses each at many user names) from one network meets the network's, higher limit, or a clinic
whose staff share one office address would lock each other out after five typos. Each count is
scaled so that it reaches the shared limit exactly at its own.

An account's cool-down is short (`ACCOUNT_LOCKOUT_MINUTES`), as anyone may start one by typing
wrong passwords for it, and its owner is emailed once per cool-down.
"""

import hashlib
import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import user_has_device

from core.outbox import email_enqueue

logger = logging.getLogger(__name__)

ACCOUNT_ONLY = ("username",)
NETWORK_ONLY = ("ip_address",)


def _rule(parameter):
    return (parameter,) if isinstance(parameter, str) else tuple(parameter)


def account_cooldown():
    """How long an account rests after its limit, never longer than axes keeps failures."""
    minutes = timedelta(minutes=max(1, settings.ACCOUNT_LOCKOUT_MINUTES))
    kept = get_cool_off()
    return min(minutes, kept) if kept else minutes


def _rule_limit(rule, shared_limit):
    if rule == ACCOUNT_ONLY:
        return max(1, settings.ACCOUNT_LOCKOUT_FAILURES)
    if rule == NETWORK_ONLY:
        return max(shared_limit, settings.AXES_ADDRESS_FAILURE_LIMIT)
    return shared_limit


class SignInLimitsHandler(AxesDatabaseHandler):
    """`AxesDatabaseHandler` with a limit, and for the account a window, of each rule's own."""

    def get_user_attempts(self, request, credentials=None):
        attempts_per_rule = super().get_user_attempts(request, credentials)
        rules = [_rule(parameter) for parameter in get_lockout_parameters(request, credentials)]
        since = (request.axes_attempt_time or timezone.now()) - account_cooldown()
        return [
            attempts.filter(attempt_time__gte=since) if rule == ACCOUNT_ONLY else attempts
            for rule, attempts in zip(rules, attempts_per_rule, strict=True)
        ]

    def get_failures(self, request, credentials=None):
        limit = get_failure_limit(request, credentials)
        rules = [_rule(parameter) for parameter in get_lockout_parameters(request, credentials)]
        attempts_per_rule = self.get_user_attempts(request, credentials)
        worst = 0
        request.account_cooling_down = False
        for rule, attempts in zip(rules, attempts_per_rule, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            rule_limit = _rule_limit(rule, limit)
            if rule == ACCOUNT_ONLY and failures >= rule_limit:
                request.account_cooling_down = True
            # Reaches `limit` exactly when this rule has failed `rule_limit` times.
            worst = max(worst, failures * limit // rule_limit)
        return worst

    def user_logged_in(self, sender, request, user, **kwargs):
        # A right password that a second factor must follow has not ended the sign-in yet: the
        # failures (wrong codes among them) stay counted until the factor is passed, or a thief
        # with the password could guess codes for ever, a few between each password.
        request.axes_second_factor_follows = user_has_device(user, confirmed=True)
        super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials=None):
        if getattr(request, "axes_second_factor_follows", False):
            return 0
        return super().reset_user_attempts(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and getattr(request, "account_cooling_down", False):
            account_owner_notify(username=get_client_username(request, credentials))


def account_owner_notify(*, username):
    """Email the account's owner that sign-in is paused, once per cool-down (queued for the worker)."""
    if not username:
        return
    user_model = get_user_model()
    owner = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    email = getattr(owner, user_model.get_email_field_name(), "") if owner else ""
    if not email:
        return
    cooldown = account_cooldown()
    marker = "signin:cooldown-mailed:" + hashlib.sha256(username.encode()).hexdigest()
    if not caches[settings.LIMITS_CACHE_ALIAS].add(marker, 1, timeout=int(cooldown.total_seconds())):
        return
    minutes = int(cooldown.total_seconds() // 60)
    subject = _("Sign-in to your clinic account is paused")
    message = ngettext(
        "Someone has entered a wrong password for your account %(username)s too many times, so signing in "
        "to it is paused for %(minutes)d minute.",
        "Someone has entered a wrong password for your account %(username)s too many times, so signing in "
        "to it is paused for %(minutes)d minutes.",
        minutes,
    ) % {"username": username, "minutes": minutes}
    message += "\n\n" + _(
        "If that was you, please wait and try again. If it was not, your password held; you may still "
        "want to change it, and to tell the site administrator."
    )
    email_enqueue(subject=subject, body=message, to=[email])

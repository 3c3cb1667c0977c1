"""Emails to a staff member about their own account: a factor changed, a sign-in from a new network.

Each is queued with the change (`core.outbox`): the worker sends it, and a mail server that is down
delays the notice, never loses it or turns the page into an error.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.outbox import email_enqueue

FACTOR_CHANGES = {
    "authenticator_added": gettext_lazy("An authenticator app was set up for your account."),
    "recovery_codes_issued": gettext_lazy(
        "New recovery codes were made for your account; the old ones no longer work."
    ),
    "passkey_added": gettext_lazy("A passkey was added to your account."),
    "factors_removed": gettext_lazy("An administrator (%(by)s) removed the second factors of your account."),
}


def owner_notify(*, user, subject, lines):
    email = getattr(user, user.get_email_field_name(), "")
    if not email:
        return
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
    security_url = settings.SITE_URL + reverse("staff_security:security")
    message = "\n\n".join(
        [
            *lines,
            _("When: %(when)s. Account: %(username)s.") % {"when": when, "username": user.get_username()},
            _(
                "If this was not you, sign in and review your sign-in security at %(url)s, and tell the site "
                "administrator."
            )
            % {"url": security_url},
        ]
    )
    email_enqueue(subject=subject, body=message, to=[email])


def factor_changed_notify(*, user, change, by=None):
    line = str(FACTOR_CHANGES[change]) % {"by": by.get_username() if by else ""}
    owner_notify(user=user, subject=_("Your clinic sign-in security changed"), lines=[line])


def new_network_notify(*, user):
    owner_notify(
        user=user,
        subject=_("A sign-in to your clinic account from a new network"),
        lines=[_("Your account was signed in to from a network it has not used before.")],
    )

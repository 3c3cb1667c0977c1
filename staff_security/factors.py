"""The second factors of a staff member: enrol an authenticator app, issue recovery codes, verify a
code at sign-in (a wrong one counts toward the sign-in lockout like a wrong password), remove all."""

import base64
import secrets

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from staff_security.notices import factor_changed_notify

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def normalized(token):
    return "".join((token or "").split()).replace("-", "").lower()


def totp_pending(*, user):
    """The authenticator being set up: the one not yet confirmed, or a new one with a fresh key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def totp_key_text(device):
    """The key as the person types it into an app: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def totp_confirm(*, request, device, token):
    """The code from the new app proves it is set up: it replaces any earlier app and verifies this session."""
    if not device.verify_token(normalized(token)):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    otp_login(request, device)
    factor_changed_notify(user=device.user, change="authenticator_added")
    return True


@transaction.atomic
def recovery_codes_issue(*, user, notify=True):
    """Ten new single-use recovery codes; every earlier code stops working. The codes, shown once.

    At enrolment the owner's one notice is the new authenticator's (`notify=False`). The device
    stays and only its codes change: a session verified with a recovery code keeps the device
    django-otp recorded for it, and so stays verified to see the new codes."""
    # The device row locked: two requests at once (a double click) leave one set of ten codes, not twenty.
    device = StaticDevice.objects.select_for_update().filter(user=user).order_by("pk").first() or StaticDevice(
        user=user
    )
    device.name, device.confirmed = RECOVERY_CODES_NAME, True
    device.created_at, device.last_used_at = timezone.now(), None  # the security page's "made" and "last used"
    device.throttle_reset(commit=False)
    device.save()
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=normalized(code)) for code in codes])
    if notify:
        factor_changed_notify(user=user, change="recovery_codes_issued")
    return codes


def credentials_of(user):
    return {"username": user.get_username()}


def sign_in_allowed(request):
    """Not locked out by the sign-in limits (django-axes): wrong codes count as wrong passwords do."""
    return AxesProxyHandler.is_allowed(request, credentials_of(request.user))


def second_factor_verify(*, request, token):
    """Verify `token` (an authenticator code or a recovery code) for the signed-in user.

    The device that accepted it marks this session verified; a wrong code is a failed sign-in."""
    user, token = request.user, normalized(token)
    # Six digits are an app's code, anything else a recovery code: a typo in one never slows the
    # other down (django-otp throttles a device after each wrong code).
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    devices = kind.objects.devices_for_user(user, confirmed=True)
    for device in devices:
        accepted = verify_token(user, device.persistent_id, token) if token else None
        if accepted is not None:
            otp_login(request, accepted)
            AxesProxyHandler.update_request(request)
            AxesProxyHandler.get_implementation().reset_user_attempts(request, credentials_of(user))
            return accepted
    user_login_failed.send(sender=__name__, credentials=credentials_of(user), request=request)
    return None


@transaction.atomic
def factors_remove(*, user, by):
    """An administrator's reset: every factor of `user` goes, and they enrol again at next sign-in."""
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[0]
    factor_changed_notify(user=user, change="factors_removed", by=by)
    return removed


def factors_of(user):
    """What the security page lists: each confirmed factor with when it was added and last used."""
    return {
        "authenticators": list(TOTPDevice.objects.filter(user=user, confirmed=True)),
        "recovery": StaticDevice.objects.filter(user=user, confirmed=True).first(),
        "passkeys": list(WebAuthnCredential.objects.filter(user=user, confirmed=True)),
    }

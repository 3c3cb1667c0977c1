"""Who must pass a second factor before the admin opens, and whether this session has (and is not idle)."""

from django.conf import settings
from django_otp import user_has_device

from staff_security.sessions import session_idle

# Set at sign-in: the account had a factor then, so this session must pass it even where the
# requirement is relaxed (an enrolled account is never weaker than its owner chose).
FACTOR_AT_SIGN_IN = "staff_security_factor"


def second_factor_required():
    return settings.STAFF_REQUIRE_SECOND_FACTOR


def has_factor(user):
    """Any confirmed factor: authenticator app, recovery codes or passkey."""
    return user_has_device(user, confirmed=True)


def is_verified(user):
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def second_factor_pending(request):
    """A signed-in staff member who has still to pass (or first enrol) a second factor."""
    user = request.user
    if not (user.is_authenticated and user.is_staff) or is_verified(user):
        return False
    return second_factor_required() or request.session.get(FACTOR_AT_SIGN_IN, False)


def staff_powers_confirmed(request):
    """A staff member whose session may use staff powers anywhere: past the second factor where one
    is due, and not idle past STAFF_IDLE_HOURS. Registered with core for the previews outside the
    admin, which the middleware does not guard; only an admin page ends an idle session."""
    user = request.user
    return user.is_authenticated and user.is_staff and not second_factor_pending(request) and not session_idle(request)

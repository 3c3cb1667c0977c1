"""The admin's door for staff: idle sessions end, and a session that has not passed its second
factor reaches only the pages that let it pass one (GET redirected there, anything else refused)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse

from staff_security.policy import has_factor, second_factor_pending
from staff_security.sessions import session_idle_expired

# The only admin pages a staff member with a pending second factor may reach.
OPEN_BEFORE_SECOND_FACTOR = {
    "admin:login",
    "admin:logout",
    "staff_security:enrol",
    "staff_security:verify",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


def is_admin_path(path):
    return path.startswith(f"/{settings.ADMIN_URL}")


def with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}"


class StaffSessionMiddleware:
    """A staff session left alone in the admin for STAFF_IDLE_HOURS ends; the next admin page asks
    for a sign-in. Only admin pages count as use: public pages never mark the session used (readers'
    pages stay cacheable by shared caches), and a preview there only reads the clock (policy.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_admin_path(request.path_info):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and user.is_staff and session_idle_expired(request):
            logout(request)
            return HttpResponseRedirect(with_next(reverse("admin:login"), request.get_full_path()))
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_admin_path(request.path_info) or not second_factor_pending(request):
            return self.get_response(request)
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name in OPEN_BEFORE_SECOND_FACTOR:
            return self.get_response(request)
        step = "staff_security:verify" if has_factor(request.user) else "staff_security:enrol"
        if request.method in ("GET", "HEAD"):
            return HttpResponseRedirect(with_next(reverse(step), request.get_full_path()))
        return HttpResponseForbidden(
            render_to_string("staff_security/refused.html", {"step_url": reverse(step)}, request=request)
        )

"""The staff member's own pages: enrol an authenticator, keep recovery codes, pass the second
factor at sign-in, and the sign-in security page. All in the admin's look."""

from axes.helpers import get_lockout_response
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staff_security import factors
from staff_security.forms import AuthenticatorCodeForm, SecondFactorForm
from staff_security.middleware import with_next
from staff_security.policy import has_factor, is_verified
from staff_security.qr import qr_svg
from staff_security.sessions import sessions_end_others

NEW_CODES = "staff_security_new_codes"


def next_url(request):
    """Where to go once this step is done: a local `next`, else the admin's index."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else reverse("admin:index")


def page(request, template, title, status=200, **context):
    return render(request, template, {**admin.site.each_context(request), "title": title, **context}, status=status)


def form_page(request, template, title, form, **context):
    """A step with one form, answered 400 when the form came back with errors; `next` is carried on."""
    status = 400 if form.errors else 200
    return page(request, template, title, status, form=form, next=next_url(request), **context)


def needs_verifying(request):
    """An enrolled staff member whose session has not passed a factor changes nothing yet."""
    return has_factor(request.user) and not is_verified(request.user)


staff_page = method_decorator([never_cache, staff_member_required], name="dispatch")


@staff_page
class EnrolView(View):
    """Set up (or replace) the authenticator app: QR code and key, then one code to confirm it."""

    def dispatch(self, request, *args, **kwargs):
        if needs_verifying(request):
            return redirect(with_next(reverse("staff_security:verify"), next_url(request)))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, AuthenticatorCodeForm())

    def post(self, request):
        form = AuthenticatorCodeForm(request.POST)
        device = factors.totp_pending(user=request.user)
        if form.is_valid() and factors.totp_confirm(request=request, device=device, token=form.cleaned_data["code"]):
            if factors.factors_of(request.user)["recovery"] is None:
                request.session[NEW_CODES] = factors.recovery_codes_issue(user=request.user, notify=False)
                return redirect(with_next(reverse("staff_security:recovery_codes"), next_url(request)))
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("staff_security:security")
        if form.is_valid():
            form.add_error(
                "code", _("That code did not match. Check the app shows this site's entry and try the newest code.")
            )
        return self.render(request, form)

    def render(self, request, form):
        device = factors.totp_pending(user=request.user)
        return form_page(
            request,
            "staff_security/enrol.html",
            _("Set up your authenticator app"),
            form,
            qr=qr_svg(device.config_url, label=_("QR code for your authenticator app")),
            key=factors.totp_key_text(device),
            replacing=bool(factors.factors_of(request.user)["authenticators"]),
        )


@staff_page
class RecoveryCodesView(View):
    """The new recovery codes, shown this once; "I have saved them" forgets them."""

    def get(self, request):
        codes = request.session.get(NEW_CODES)
        if not codes:
            return redirect("staff_security:security")
        return page(
            request,
            "staff_security/recovery_codes.html",
            _("Save your recovery codes"),
            codes=codes,
            next=next_url(request),
        )

    def post(self, request):
        request.session.pop(NEW_CODES, None)
        return HttpResponseRedirect(next_url(request))


@never_cache
@staff_member_required
def recovery_codes_download(request):
    codes = request.session.get(NEW_CODES)
    if not codes:
        return redirect("staff_security:security")
    header = _("Recovery codes for %(username)s at %(site)s. Each works once.") % {
        "username": request.user.get_username(),
        "site": request.get_host(),
    }
    response = HttpResponse("\n".join([header, "", *codes, ""]), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clinic-recovery-codes.txt"'
    return response


@staff_page
class VerifyView(View):
    """The second step of signing in: an authenticator code, a recovery code or a passkey."""

    def dispatch(self, request, *args, **kwargs):
        if is_verified(request.user):
            return HttpResponseRedirect(next_url(request))
        if not has_factor(request.user):
            return redirect(with_next(reverse("staff_security:enrol"), next_url(request)))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, SecondFactorForm())

    def post(self, request):
        if not factors.sign_in_allowed(request):
            return self.locked_out(request)
        form = SecondFactorForm(request.POST)
        token = form.cleaned_data["code"] if form.is_valid() else ""
        if factors.second_factor_verify(request=request, token=token):
            return HttpResponseRedirect(next_url(request))
        if getattr(request, "axes_locked_out", False):
            return self.locked_out(request)
        form.errors.clear()
        form.add_error(None, _("That code did not work. Try the newest code from your app, or a recovery code."))
        return self.render(request, form)

    def locked_out(self, request):
        credentials = factors.credentials_of(request.user)
        logout(request)
        return get_lockout_response(request, None, credentials)

    def render(self, request, form):
        has_passkey = bool(factors.factors_of(request.user)["passkeys"])
        return form_page(request, "staff_security/verify.html", _("Confirm it is you"), form, has_passkey=has_passkey)


@staff_page
class SecurityView(View):
    """Sign-in security: each factor with when it was added and last used, and what can be changed."""

    def get(self, request):
        if needs_verifying(request):
            return redirect(with_next(reverse("staff_security:verify"), request.get_full_path()))
        found = factors.factors_of(request.user)
        recovery = found["recovery"]
        return page(
            request,
            "staff_security/security.html",
            _("Sign-in security"),
            recovery_left=recovery.token_set.count() if recovery else 0,
            **found,
        )


def verified_post(view):
    """A change to the account's factors or sessions: POST only, from a verified (or unenrolled) session."""

    @never_cache
    @staff_member_required
    @require_POST
    def wrapped(request):
        if needs_verifying(request):
            return redirect(with_next(reverse("staff_security:verify"), reverse("staff_security:security")))
        return view(request)

    return wrapped


@verified_post
def recovery_codes_new(request):
    request.session[NEW_CODES] = factors.recovery_codes_issue(user=request.user)
    return redirect(with_next(reverse("staff_security:recovery_codes"), reverse("staff_security:security")))


@verified_post
def sessions_end(request):
    ended = sessions_end_others(request=request)
    messages.success(request, _("Signed out of every other session (%(count)d).") % {"count": ended})
    return redirect("staff_security:security")

"""Forgotten passwords, for staff, from the admin's sign-in page.

Django's own views, with three changes: only staff accounts get a link, requests are limited per
network and per address (in the limits cache, so every instance counts together), and a reset
ends every session of the account. The page never tells whether an address has an account, and
a reset keeps the account's second factors: the new password still needs one.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from core.client_ip import client_network
from core.outbox import email_enqueue
from staff_security.sessions import sessions_end


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)

    def save(self, *, domain_override=None, use_https=False, **kwargs):
        """The link names the site's own address (SITE_URL) when it is set, never the host a request
        claimed: a forged Host header must not send a staff member's token to another site."""
        if settings.SITE_URL:
            site = urlsplit(settings.SITE_URL)
            domain_override, use_https = site.netloc, site.scheme == "https"
        return super().save(domain_override=domain_override, use_https=use_https, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Queued like every email of the site: the page answers at once, and a mail server that is
        down delays the link instead of losing it."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        email_enqueue(subject=subject, body=body, to=[to_email], from_email=from_email)


def limit_reached(kind, value, limit):
    """Count one request for `value`; True once more than `limit` came within the window."""
    cache = caches[settings.LIMITS_CACHE_ALIAS]
    key = f"password-reset:{kind}:" + hashlib.sha256(value.encode()).hexdigest()
    cache.add(key, 0, timeout=int(settings.PASSWORD_RESET_LIMIT_HOURS * 3600))
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request starts a new window
        cache.add(key, 1, timeout=int(settings.PASSWORD_RESET_LIMIT_HOURS * 3600))
        count = 1
    return count > limit


class AdminLook:
    """The admin's header, title and theme on each page of the reset."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class StaffPasswordResetView(AdminLook, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        network = client_network(self.request) or "unknown"
        if limit_reached("network", network, settings.PASSWORD_RESET_LIMIT_PER_NETWORK):
            messages.error(self.request, _("Too many reset requests from your network. Please try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        email = form.cleaned_data["email"].strip().lower()
        if limit_reached("email", email, settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
            # The same answer as ever: whether a mail goes out tells nothing about the address.
            return auth_views.HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class StaffPasswordResetDoneView(AdminLook, auth_views.PasswordResetDoneView):
    pass


class StaffPasswordResetConfirmView(AdminLook, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions_end(user=form.user)
        return response


class StaffPasswordResetCompleteView(AdminLook, auth_views.PasswordResetCompleteView):
    pass

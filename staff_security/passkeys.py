"""Passkeys (django-otp-webauthn) for the host and origin a request reached.

ALLOWED_HOSTS already decides which hosts reach the site; a passkey made on one of them belongs
to it, and the origin the browser reports must be the scheme and host the request came to.
"""

from django.http.request import split_domain_port
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.settings import app_settings


def relying_party_id(request):
    domain, _port = split_domain_port(request.get_host())
    return domain


class SiteWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self):
        own = f"{self.request.scheme}://{self.request.get_host()}"
        return [own, *app_settings.OTP_WEBAUTHN_ALLOWED_ORIGINS]

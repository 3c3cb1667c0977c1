"""Side effects of staff signing in and of passkeys being added (sent by Django and django-otp-webauthn)."""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django_otp_webauthn.models import WebAuthnCredential

from core.client_ip import client_network
from staff_security.models import KnownNetwork
from staff_security.notices import factor_changed_notify, new_network_notify
from staff_security.policy import FACTOR_AT_SIGN_IN, has_factor
from staff_security.sessions import session_record


def network_hash(network):
    return hmac.new(settings.SECRET_KEY.encode(), f"staff-network:{network}".encode(), hashlib.sha256).hexdigest()


def staff_signed_in(sender, request, user, **kwargs):
    """Record the session, note whether a second factor must follow, and tell the owner about a
    sign-in from a network the account has not used (its very first network is learnt quietly)."""
    if request is None or not user.is_staff or not hasattr(request, "session"):
        return
    request.session[FACTOR_AT_SIGN_IN] = has_factor(user)
    session_record(request=request, user=user)
    network = client_network(request)
    if not network:
        return
    known = KnownNetwork.objects.filter(user=user)
    digest = network_hash(network)
    if known.filter(network_hash=digest).exists():
        return
    seen_before = known.exists()
    KnownNetwork.objects.get_or_create(user=user, network_hash=digest)
    if seen_before:
        new_network_notify(user=user)


def passkey_added(sender, instance, created, **kwargs):
    if created and instance.confirmed:
        factor_changed_notify(user=instance.user, change="passkey_added")


def connect():
    user_logged_in.connect(staff_signed_in, dispatch_uid="staff_security_signed_in")
    post_save.connect(passkey_added, sender=WebAuthnCredential, dispatch_uid="staff_security_passkey_added")

"""Second factors for tests: an authenticator app set up for a staff login, and its codes."""

import base64
import time

import pyotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol_authenticator(user):
    """A confirmed authenticator app for `user`; the pyotp.TOTP that shows its codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return authenticator_of(device)


def authenticator_of(device):
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode())


def next_code(totp):
    """The code of the next 30-second step: accepted once the current one has been used (django-otp
    allows one step of drift and takes each step's code only once)."""
    return totp.at(time.time() + 30)

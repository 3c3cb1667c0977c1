"""The one box of each step (the templates lay the inputs out by hand, with their autocomplete hints)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AuthenticatorCodeForm(forms.Form):
    """The six digits an authenticator app shows."""

    code = forms.CharField(label=_("Code from your authenticator app"), max_length=12)


class SecondFactorForm(forms.Form):
    """An authenticator code or one recovery code, in one box."""

    code = forms.CharField(label=_("Code from your authenticator app, or a recovery code"), max_length=32)

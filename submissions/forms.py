from django import forms
from django.utils.translation import gettext_lazy as _

from core.client_ip import client_ip
from submissions.captcha import CaptchaField, site_key


class SubmissionForm(forms.Form):
    """Honeypot, CAPTCHA token and friendly validation shared by every reader form.

    Subclasses set `captcha_action`. The CAPTCHA never makes the form invalid: its
    `CaptchaResult` lands in `cleaned_data["captcha"]` for submissions.policy.decide().
    """

    captcha_action = None
    honeypot_name = "website"

    # Humans never see this field (the wrapper is `hidden`); bots filling every input do.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Built per form, not per class: django-recaptcha reads the keys when the field is made.
        captcha_field = CaptchaField(action=self.captcha_action)
        if request is not None:
            captcha_field.remote_ip = client_ip(request)
        self.fields["captcha"] = captcha_field

    @property
    def honeypot_filled(self):
        return bool(self.cleaned_data.get(self.honeypot_name, "").strip())

    @property
    def recaptcha_site_key(self):
        return site_key()

    @property
    def visible_text(self):
        """Everything the reader wrote, for the disallowed-word and link checks."""
        return ""


NAME_TOO_LONG = _("Please shorten your name to %(limit_value)d characters or fewer (it has %(show_value)d).")
EMAIL_INVALID = _("Please check your email address; it should look like name@example.com.")


class OneLineField(forms.CharField):
    """Text shown on one line (a name, a topic): runs of spaces, tabs and line breaks become one
    space, so a value of only whitespace is empty and a required field says so."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


def reader_name_field(*, label, max_length, help_text, required=True):
    """The reader's name, remembered by the browser when they ask (forms.js)."""
    messages = {"max_length": NAME_TOO_LONG}
    if required:
        messages["required"] = _("Please enter your name here.")
    return OneLineField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages=messages,
        widget=forms.TextInput(attrs={"autocomplete": "name", "data-remember": "name"}),
    )


def reader_email_field(*, label, help_text, required=True):
    """The reader's email; its length is the column's, as a longer one would fail on PostgreSQL."""
    messages = {"invalid": EMAIL_INVALID, "max_length": EMAIL_INVALID}
    if required:
        messages["required"] = _("Please enter your email address.")
    return forms.EmailField(
        label=label,
        required=required,
        max_length=254,
        help_text=help_text,
        error_messages=messages,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "data-remember": "email"}),
    )

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

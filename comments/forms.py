from django import forms
from django.utils.translation import gettext_lazy as _

from comments.captcha import CaptchaField, site_key
from comments.models import Comment, TopicSuggestion
from comments.privacy import client_ip


class SubmissionForm(forms.Form):
    """Honeypot, CAPTCHA token and friendly validation shared by every reader form.

    Subclasses set `captcha_action`. The CAPTCHA never makes the form invalid: its
    `CaptchaResult` lands in `cleaned_data["captcha"]` for comments.policy.decide().
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


class CommentForm(SubmissionForm):
    captcha_action = "comment"

    name = forms.CharField(
        label=_("Your name"),
        max_length=Comment.NAME_MAX_LENGTH,
        help_text=_("Shown with your comment. A first name is fine."),
        error_messages={
            "required": _("Please enter your name here."),
            "max_length": _("Please shorten your name to %(limit_value)d characters or fewer (it has %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "data-remember": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,  # the column's length: a longer address would fail on PostgreSQL with a 500
        help_text=_("Never shown on the site. We use it only to reach you about this comment."),
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please check your email address; it should look like name@example.com."),
            "max_length": _("Please check your email address; it should look like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "data-remember": "email"}),
    )
    body = forms.CharField(
        label=_("Your comment"),
        max_length=Comment.BODY_MAX_LENGTH,
        help_text=_("Plain text, up to 5,000 characters. Please do not share private medical details."),
        error_messages={
            "required": _("Please enter your comment!"),
            "max_length": _(
                "Your comment is %(show_value)d characters long; please shorten it to %(limit_value)d or fewer."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    notify_me = forms.BooleanField(label=_("Email me when my comment is approved or answered"), required=False)
    remember_me = forms.BooleanField(
        label=_("Remember my name and email in this browser"),
        required=False,
        help_text=_("Saved only on this device, never on our server."),
        widget=forms.CheckboxInput(attrs={"data-remember-toggle": ""}),
    )

    def __init__(self, *args, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        # No maxlength in the page: a browser would cut a pasted comment silently; the server
        # answers with a clear message and keeps the whole text instead.
        for name in ("name", "body"):
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(self.fields["name"].error_messages["required"], code="required")
        return name

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"], code="required")
        return body

    def clean_parent(self):
        """A reply must answer an approved top-level comment on the same article."""
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.approved()
            .filter(pk=parent_id, article=self.article, parent__isnull=True)
            .only("id", "article_id")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to is no longer available. Please post your comment on its own."),
                code="invalid_parent",
            )
        return parent

    @property
    def visible_text(self):
        return f"{self.cleaned_data.get('name', '')}\n{self.cleaned_data.get('body', '')}"


# --- Topic suggestions (issue 4) ---------------------------------------------------------


class TopicSuggestionForm(SubmissionForm):
    """The /topics/ form and the sidebar call-to-action (which shows fewer fields of it).

    Ids start with "topic-" so the form can share a page with the comment form.
    """

    captcha_action = "suggest_topic"

    topic = forms.CharField(
        label=_("Your topic idea"),
        max_length=TopicSuggestion.TOPIC_MAX_LENGTH,
        help_text=_("A few words are enough, for example “sleeping with sciatica”."),
        error_messages={
            "required": _("Please tell us the topic you would like us to write about."),
            "max_length": _("Please shorten the topic to %(limit_value)d characters or fewer (it has %(show_value)d)."),
        },
    )
    details = forms.CharField(
        label=_("More details (optional)"),
        required=False,
        max_length=TopicSuggestion.DETAILS_MAX_LENGTH,
        help_text=_("What would you like to know? Please do not share private medical details."),
        error_messages={
            "max_length": _(
                "Your details are %(show_value)d characters long; please shorten them to %(limit_value)d or fewer."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=TopicSuggestion.NAME_MAX_LENGTH,
        help_text=_("Never shown on the site."),
        error_messages={
            "max_length": _("Please shorten your name to %(limit_value)d characters or fewer (it has %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "data-remember": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        max_length=254,  # the column's length: a longer address would fail on PostgreSQL with a 500
        help_text=_("Never shown on the site. We use it only to tell you when the article is published."),
        error_messages={
            "invalid": _("Please check your email address; it should look like name@example.com."),
            "max_length": _("Please check your email address; it should look like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "data-remember": "email"}),
    )
    notify_when_published = forms.BooleanField(label=_("Email me when the article is published"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "topic-%s")
        super().__init__(*args, **kwargs)

    def clean_topic(self):
        topic = " ".join(self.cleaned_data["topic"].split())
        if not topic:
            raise forms.ValidationError(self.fields["topic"].error_messages["required"], code="required")
        return topic

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_details(self):
        return self.cleaned_data["details"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_when_published") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email", _("Please enter your email address so we can tell you when the article is published.")
            )
        return cleaned

    @property
    def visible_text(self):
        data = self.cleaned_data
        return f"{data.get('name', '')}\n{data.get('topic', '')}\n{data.get('details', '')}"

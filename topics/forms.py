from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.forms import OneLineField, SubmissionForm, reader_email_field, reader_name_field
from topics.models import TopicSuggestion


class TopicSuggestionForm(SubmissionForm):
    """The /topics/ form and the sidebar call-to-action (which shows fewer fields of it).

    Ids start with "topic-" so the form can share a page with the comment form.
    """

    captcha_action = "suggest_topic"

    topic = OneLineField(
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
    name = reader_name_field(
        label=_("Your name (optional)"),
        required=False,
        max_length=TopicSuggestion.NAME_MAX_LENGTH,
        help_text=_("Never shown on the site."),
    )
    email = reader_email_field(
        label=_("Your email (optional)"),
        required=False,
        help_text=_("Never shown on the site. We use it only to tell you when the article is published."),
    )
    notify_when_published = forms.BooleanField(label=_("Email me when the article is published"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "topic-%s")
        super().__init__(*args, **kwargs)

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

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, CommentReport
from submissions.forms import SubmissionForm, reader_email_field, reader_name_field


class CommentForm(SubmissionForm):
    captcha_action = "comment"

    name = reader_name_field(
        label=_("Your name"),
        max_length=Comment.NAME_MAX_LENGTH,
        help_text=_("Shown with your comment. A first name is fine."),
    )
    email = reader_email_field(
        label=_("Your email"),
        help_text=_("Never shown on the site. We use it only to reach you about this comment."),
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


class CommentReportForm(SubmissionForm):
    """The "Report" form under each published comment: the same for every reader (the comment is
    in the action's address), so the article page stays cached."""

    captcha_action = "report_comment"

    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what is wrong with the comment.")},
    )
    text = forms.CharField(
        label=_("Tell us more (needed for “Something else”)"),
        required=False,
        max_length=CommentReport.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please shorten your note to %(limit_value)d characters or fewer.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CommentReport.Reason.OTHER and not cleaned.get("text", "").strip():
            self.add_error("text", _("Please tell us in a few words what is wrong."))
        return cleaned

    @property
    def visible_text(self):
        return self.cleaned_data.get("text", "")

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from comments import captcha
from comments.text import render_plain_text


class HoldReason(models.TextChoices):
    """Why the policy did not publish a submission; a row may keep several."""

    HONEYPOT = "honeypot", _("Hidden trap field filled in")
    SPAM_SCORE = "spam_score", _("CAPTCHA score in the spam range")
    DISALLOWED_WORD = "disallowed_word", _("Contains a disallowed word")
    LOW_SCORE = "low_score", _("CAPTCHA score below auto-approval")
    CAPTCHA_MISSING = captcha.MISSING, _("No CAPTCHA token")
    CAPTCHA_INVALID = captcha.INVALID, _("CAPTCHA token refused by Google")
    CAPTCHA_WRONG_ACTION = captcha.WRONG_ACTION, _("CAPTCHA token for another form")
    CAPTCHA_WRONG_HOSTNAME = captcha.WRONG_HOSTNAME, _("CAPTCHA token from another site")
    CAPTCHA_UNVERIFIABLE = captcha.UNVERIFIABLE, _("CAPTCHA could not be checked")
    CAPTCHA_NOT_CONFIGURED = captcha.NOT_CONFIGURED, _("CAPTCHA keys not configured")
    TOO_MANY_LINKS = "too_many_links", _("Too many links")
    REVIEW_ALL = "review_all", _("Everything is reviewed (auto-approval off)")


class ModeratedSubmission(models.Model):
    """What every reader submission keeps for moderation: comments now, topic suggestions next.

    The status comes from comments.policy.decide(); the signals behind it stay on the row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    hold_reasons = models.JSONField(default=list, blank=True, help_text=_("Why it was not published at once."))
    captcha_score = models.FloatField(_("CAPTCHA score"), null=True, blank=True)
    captcha_action = models.CharField(_("CAPTCHA action"), max_length=40, blank=True)
    captcha_hostname_ok = models.BooleanField(_("CAPTCHA hostname matched"), null=True, blank=True)
    ip_hash = models.CharField(_("address hash"), max_length=64, blank=True, editable=False)
    user_agent = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def hold_reason_labels(self):
        labels = dict(HoldReason.choices)
        return [str(labels.get(code, code)) for code in self.hold_reasons]


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ModeratedSubmission.Status.APPROVED)

    def awaiting_review(self):
        return self.filter(status=ModeratedSubmission.Status.PENDING)


class Comment(ModeratedSubmission):
    NAME_MAX_LENGTH = 80
    BODY_MAX_LENGTH = 5000

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text=_("The comment this one answers (replies are one level deep)."),
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    email = models.EmailField(help_text=_("Never shown on the site."))
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False, blank=True)
    is_staff_reply = models.BooleanField(_("clinic reply"), default=False)
    notify_me = models.BooleanField(_("email me when approved or answered"), default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["article", "status", "created"], name="comment_thread_idx")]

    def __str__(self):
        return f"{self.name}: {self.excerpt}"

    @property
    def excerpt(self):
        return self.body if len(self.body) <= 80 else self.body[:79].rstrip() + "…"

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def save(self, *args, **kwargs):
        self.body_html = render_plain_text(self.body)
        super().save(*args, **kwargs)

from django.conf import settings
from django.db import models
from django.urls import reverse
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
        # Pages of threads: an article's approved top-level comments by id, and its shown total.
        indexes = [models.Index(fields=["article", "status", "parent", "id"], name="comment_threads_idx")]

    def __str__(self):
        return f"{self.name}: {self.excerpt}"

    @property
    def excerpt(self):
        return self.body if len(self.body) <= 80 else self.body[:79].rstrip() + "…"

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    def get_absolute_url(self):
        """A lasting address for emails and the admin: it redirects to the page that shows the
        comment at the time it is opened, since newer threads move older ones to earlier pages."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        self.body_html = render_plain_text(self.body)
        super().save(*args, **kwargs)


# --- Topic suggestions (issue 4): readers propose what the clinic writes next ------------
# Workflows live in comments/topics.py; the form, views and admin sit at the end of their files.


class TopicSuggestionQuerySet(models.QuerySet):
    def on_board(self):
        """What the public board may show: planned topics, and published ones whose article is live.

        Never new, under review, declined or spam items, nor duplicates merged into another.
        """
        from articles.models import Article

        Status = TopicSuggestion.Status
        return self.filter(merged_into__isnull=True).filter(
            models.Q(status=Status.PLANNED)
            | models.Q(status=Status.PUBLISHED, article__in=Article.objects.published().values("pk"))
        )


class TopicSuggestion(ModeratedSubmission):
    """A reader's idea for an article, moderated like a comment, shown on /topics/ once planned."""

    class Status(models.TextChoices):
        # "pending" keeps the shared moderation queue and retention purge working for suggestions.
        NEW = "pending", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")
        SPAM = "spam", _("Spam")

    TOPIC_MAX_LENGTH = 120
    DETAILS_MAX_LENGTH = 2000
    NAME_MAX_LENGTH = 80

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    topic = models.CharField(max_length=TOPIC_MAX_LENGTH, help_text=_("Shown on the public board once planned."))
    details = models.TextField(max_length=DETAILS_MAX_LENGTH, blank=True)
    name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True, help_text=_("Never shown on the site."))
    email = models.EmailField(blank=True, help_text=_("Never shown on the site."))
    notify_when_published = models.BooleanField(_("tell me when it is published"), default=False)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_suggestions",
        verbose_name=_("answering article"),
        help_text=_("Choosing a live article marks the suggestion published and emails the readers who asked."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_suggestions",
        help_text=_("The suggestion this duplicate was merged into; its votes and readers moved there."),
    )
    votes = models.PositiveIntegerField(default=0, help_text=_("“I want this too” clicks, one per reader."))
    staff_note = models.TextField(_("private staff note"), blank=True)
    activity_at = models.DateTimeField(
        _("last activity"), auto_now_add=True, db_index=True, help_text=_("Orders the public board.")
    )

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-activity_at", "-id"]
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")

    def __str__(self):
        return self.topic

    @property
    def anchor(self):
        return f"topic-{self.pk}"


class TopicVote(models.Model):
    """One "I want this too" per reader address; the count itself lives on the suggestion."""

    suggestion = models.ForeignKey(TopicSuggestion, on_delete=models.CASCADE, related_name="vote_records")
    ip_hash = models.CharField(_("address hash"), max_length=64, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "ip_hash"], condition=~models.Q(ip_hash=""), name="topic_vote_once_per_address"
            )
        ]

    def __str__(self):
        return f"{self.suggestion_id}: {self.created:%Y-%m-%d}"

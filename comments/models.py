from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions.models import ModeratedSubmission
from submissions.personal_details import find_personal_details
from submissions.text import render_plain_text


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ModeratedSubmission.Status.APPROVED)

    def awaiting_moderation(self):
        return self.filter(status=ModeratedSubmission.Status.PENDING)


class Comment(ModeratedSubmission):
    PERSONAL_DATA_KEY = "comments"
    PERSONAL_DATA_RELATED = ("article",)
    NAME_MAX_LENGTH = 80
    BODY_MAX_LENGTH = 5000
    # What a comment in a thread shows (templates/comments/), whether public or held for its author.
    SHOWN_FIELDS = ["id", "parent_id", "name", "body_html", "created", "is_staff_reply"]

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        related_name="replies",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("The comment this one answers (replies are one level deep)."),
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    email = models.EmailField(help_text=_("Never shown on the site."))
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False, blank=True)
    is_staff_reply = models.BooleanField(_("clinic reply"), default=False)
    notify_me = models.BooleanField(_("email me when approved or answered"), default=False)
    # Readers and the author hear of a comment once: a later re-approval (after readers' reports
    # hid it, or a spam round trip) is not news.
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)

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

    @property
    def personal_details(self):
        """The personal identifiers in what the comment shows: its name and its text."""
        return [*find_personal_details(self.name), *find_personal_details(self.body)]

    def get_absolute_url(self):
        """A lasting address for emails and the admin: it redirects to the page that shows the
        comment at the time it is opened, since newer threads move older ones to earlier pages."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    def personal_data(self, *, absolute_url):
        return {
            "id": self.pk,
            "article": self.article.title,
            "article_url": absolute_url(self.article.get_absolute_url()),
            "reply_to": self.parent_id,
            "name": self.name,
            "email": self.email,
            "comment": self.body,
            "status": self.status,
            "created": self.created.isoformat(),
            "notify_me": self.notify_me,
        }

    @classmethod
    def erase_personal_data(cls, rows):
        """Other people's replies (and the clinic's) outlive a reader's erasure: the reader's comment
        that someone else answered is kept blank and removed, its thread off the site as any
        removed comment's is; the reader's other comments are deleted."""
        erased = set(rows.values_list("pk", flat=True))
        answered = set(cls.objects.filter(parent__in=erased).exclude(pk__in=erased).values_list("parent_id", flat=True))
        for comment in cls.objects.filter(pk__in=answered):
            comment.name = comment.email = comment.body = comment.ip_hash = comment.user_agent = ""
            comment.notify_me = False
            comment.status = cls.Status.REMOVED
            comment.save()
        cls.objects.filter(pk__in=erased - answered).delete()
        return len(erased)

    def save(self, *args, **kwargs):
        self.body_html = render_plain_text(self.body)
        if self.status == self.Status.APPROVED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)


class CommentReport(models.Model):
    """A reader's report that a published comment should not be public, kept for the moderators.

    The reporter is known only by the address hash of the period (submissions.privacy), enough
    to count each reader once and to be purged with the other address hashes.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSIVE = "abusive", _("Abusive or unkind")
        MISINFORMATION = "misinformation", _("Medical misinformation")
        PERSONAL_DETAILS = "personal_details", _("Someone's personal details")
        OTHER = "other", _("Something else")

    TEXT_MAX_LENGTH = 500

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField(_("what the reader said"), max_length=TEXT_MAX_LENGTH, blank=True)
    reporter_hash = models.CharField(_("reporter's address hash"), max_length=64, editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter_hash"], name="comment_report_once_per_reader")
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment_id}"

from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models import ModeratedSubmission
from submissions.personal_details import find_personal_details


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

    def most_wanted_first(self):
        """Most votes first; among equals, the newest suggestion first."""
        return self.order_by("-votes", "-created", "-id")


class TopicSuggestion(ModeratedSubmission):
    """A reader's idea for an article, moderated like a comment, shown on /topics/ once planned."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")
        SPAM = "spam", _("Spam")

    PERSONAL_DATA_KEY = "topic_suggestions"
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
        related_name="merged_suggestions",
        null=True,
        blank=True,
        help_text=_("The suggestion this duplicate was merged into; its votes and readers moved there."),
    )
    votes = models.PositiveIntegerField(default=0, help_text=_("“I want this too” clicks, one per reader."))
    staff_note = models.TextField(_("private staff note"), blank=True)
    activity_at = models.DateTimeField(
        _("last activity"), auto_now_add=True, db_index=True, help_text=_("Orders the public board.")
    )

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        db_table = "comments_topicsuggestion"  # the table it has had since it was first created
        ordering = ["-activity_at", "-id"]
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")

    def __str__(self):
        return self.topic

    @property
    def anchor(self):
        return f"topic-{self.pk}"

    @property
    def personal_details(self):
        """The personal identifiers in what the board would show: the topic (never the details)."""
        return find_personal_details(self.topic)

    def personal_data(self, *, absolute_url):
        return {
            "id": self.pk,
            "topic": self.topic,
            "details": self.details,
            "name": self.name,
            "email": self.email,
            "status": self.status,
            "notify_when_published": self.notify_when_published,
            "created": self.created.isoformat(),
        }


class TopicVote(models.Model):
    """One "I want this too" per reader address; the count itself lives on the suggestion."""

    suggestion = models.ForeignKey(TopicSuggestion, on_delete=models.CASCADE, related_name="vote_records")
    ip_hash = models.CharField(_("address hash"), max_length=64, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "comments_topicvote"
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "ip_hash"], condition=~models.Q(ip_hash=""), name="topic_vote_once_per_address"
            )
        ]

    def __str__(self):
        return f"{self.suggestion_id}: {self.created:%Y-%m-%d}"

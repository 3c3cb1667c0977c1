"""What every reader submission shares: the moderation fields, and the rate-limit counters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions import captcha


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
    PERSONAL_DETAILS = "personal_details", _("Personal details (phone, email, birth date, address or record number)")
    REPORTED = "reported", _("Reported by readers")
    # Stored as "review_all" in rows held before it was named for moderation.
    MODERATE_ALL = "review_all", _("Everything is moderated first (auto-approval off)")


class ModeratedSubmission(models.Model):
    """The moderation record every reader submission keeps.

    The status comes from submissions.policy.decide(); the signals behind it stay on the row, so
    a moderator sees why something was held. Concrete models may replace `Status` with their own
    pipeline; the status a submission starts in is the one the moderation queue shows.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    # The address a privacy export or erase looks rows up by.
    EMAIL_FIELD = "email"
    # The relations `personal_data()` reads, joined in the export's one query per kind.
    PERSONAL_DATA_RELATED = ()

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

    @classmethod
    def moderation_queue_status(cls):
        """The status of the items waiting in the moderation queue: the one every submission starts in.

        Moderation decides what readers sent; medical review (articles) is another thing.
        """
        return cls._meta.get_field("status").default

    @classmethod
    def erase_personal_data(cls, rows):
        """Erase `rows`, everything one reader sent of this kind; returns how many were theirs.

        Deleted here; a kind whose rows others' rows hang from keeps those as blank records instead.
        """
        _deleted, per_model = rows.delete()
        return per_model.get(cls._meta.label, 0)

    @property
    def hold_reason_labels(self):
        labels = dict(HoldReason.choices)
        return [str(labels.get(code, code)) for code in self.hold_reasons]


class RateLimitCounter(models.Model):
    """One client's submissions in one fixed window, when no Redis is configured.

    A row per (scope, identity hash, window start), incremented with `F()` inside a transaction,
    so concurrent posts from several worker processes count exactly. Rows past `expires_at` are
    dead weight only; `purge_submission_data` deletes them.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")

    def __str__(self):
        return f"{self.key}: {self.count}"

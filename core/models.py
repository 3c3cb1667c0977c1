from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

SITE_SETTINGS_CACHE_KEY = "site-settings:v1"


class SiteSettings(models.Model):
    """The one row of clinic-wide facts editors change without a deploy."""

    clinic_name = models.CharField(max_length=120, default="Riverside Pain Clinic")
    tagline = models.CharField(max_length=200, blank=True, default="Clear answers about living with pain")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    community_url = models.URLField(
        blank=True, help_text=_("The clinic's online community, for example its Facebook group.")
    )
    community_text = models.CharField(
        max_length=200,
        blank=True,
        default="Share experiences and questions with other patients and carers.",
    )
    medical_disclaimer = models.TextField(
        blank=True,
        default=(
            "This article is for general education and is not a substitute for advice from your own "
            "clinician. If you have new, severe or worsening pain, contact your doctor."
        ),
    )
    product_disclaimer = models.TextField(
        blank=True,
        default="These products support, but do not replace, the care plan agreed with your clinician.",
    )
    moderator_emails = models.TextField(
        blank=True,
        help_text=_("Addresses told about new comments and suggestions awaiting review, one per line."),
    )
    disallowed_words = models.TextField(
        blank=True,
        help_text=_("Words or phrases, one per line, that send a submission straight to the spam folder."),
    )

    class Meta:
        db_table = "clinic_site_sitesettings"  # the table it has had since it was first created
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SITE_SETTINGS_CACHE_KEY)

    def delete(self, *args, **kwargs):
        """The settings row is permanent; deleting it would blank the whole site."""

    @classmethod
    def load(cls):
        """The settings row, from the cache so templates cost no query per request."""
        settings_row = cache.get(SITE_SETTINGS_CACHE_KEY)
        if settings_row is None:
            settings_row = cls.objects.filter(pk=1).first()
            if settings_row is None:
                # The defaults, made without the save signals: a page being rendered makes the row
                # when there is none, and the row it makes changes nothing any page showed.
                cls.objects.bulk_create([cls(pk=1)], ignore_conflicts=True)
                settings_row = cls.objects.get(pk=1)
            cache.set(SITE_SETTINGS_CACHE_KEY, settings_row, 3600)
        return settings_row

    @property
    def postal_address(self):
        """The clinic's name and address, the name once, however the address was typed."""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        if not lines or lines[0].casefold() != self.clinic_name.strip().casefold():
            lines.insert(0, self.clinic_name)
        return "\n".join(lines)

    @property
    def moderator_email_list(self):
        return [line.strip() for line in self.moderator_emails.splitlines() if line.strip()]

    @property
    def disallowed_word_list(self):
        return [line.strip().lower() for line in self.disallowed_words.splitlines() if line.strip()]


class OutgoingEmail(models.Model):
    """One email on its way out, and what became of it.

    Written in the transaction of the change that caused it, so the email exists exactly when the
    change does. `key` names it for good: the worker sends only while it is not marked sent, and
    the Message-ID is made from it, so a copy sent twice (a worker killed between the mail server's
    answer and the "sent" mark) is recognisable downstream as the same message.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("key"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    to = models.JSONField(_("to"), default=list)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    task_id = models.CharField(_("job"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "changed_at"], name="core_outgoing_status_idx")]

    def __str__(self):
        return self.subject


class PeriodicRun(models.Model):
    """A periodic job's run for one period: inserted before the job is queued, so two workers
    whose schedulers tick at once queue it once."""

    job = models.CharField(_("job"), max_length=100)
    period = models.CharField(_("period"), max_length=40)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-queued_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="core_periodic_run_once")]

    def __str__(self):
        return f"{self.job} {self.period}"

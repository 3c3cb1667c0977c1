from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevisionQuerySet(models.QuerySet):
    def for_object(self, obj):
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=obj.pk)


class Revision(models.Model):
    """One saved version of an object's content, numbered 1, 2, 3… per object. Never rewritten:
    a revert is a new revision carrying an old one's content."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    content = models.JSONField()
    message = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    reverted_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "number"], name="revision_number_unique")
        ]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}

    @property
    def author_name(self):
        if self.created_by is None:
            return "—"
        return self.created_by.get_full_name() or self.created_by.get_username()

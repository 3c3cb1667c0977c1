"""Comments that have been public already are marked published, so approving one again tells no one twice.

Approved comments and those readers' reports sent back to the queue have been public; removed ones
count as published too, since approving a removed comment again never emailed anyone. The moment is
not kept, so the last decision (or the posting) stands for it. Held and spam comments stay unpublished.
"""

from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Coalesce


def mark_published(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    # JSON text match works alike on SQLite and PostgreSQL (`contains` on JSON does not).
    was_public = Q(status__in=["approved", "removed"]) | Q(status="pending", hold_reasons__icontains='"reported"')
    Comment.objects.filter(was_public).update(first_published_at=Coalesce("moderated_at", "created"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0007_comment_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="first_published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="first published"),
        ),
        migrations.RunPython(mark_published, migrations.RunPython.noop),
    ]

"""Articles keep when a newer text went live, for the "Updated on" date readers see.

Articles published more than once before this migration take the time of their latest publication
from the review log; the others stay empty (never updated since first published).
"""

from django.db import migrations, models


def date_the_updates(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ReviewDecision = apps.get_model("articles", "ReviewDecision")
    publications = {}
    for article_id, created in (
        ReviewDecision.objects.filter(action="published").order_by("created", "id").values_list("article_id", "created")
    ):
        publications.setdefault(article_id, []).append(created)
    for article_id, times in publications.items():
        if len(times) > 1:
            Article.objects.filter(pk=article_id, status="published").update(revised_at=times[-1])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_clinician_login_permission"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="revised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When a newer version of the published text went live; empty until then.",
                null=True,
                verbose_name="text updated",
            ),
        ),
        migrations.RunPython(date_the_updates, migrations.RunPython.noop),
    ]

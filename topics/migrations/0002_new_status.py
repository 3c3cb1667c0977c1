from django.db import migrations, models


def pending_to_new(apps, schema_editor):
    apps.get_model("topics", "TopicSuggestion").objects.using(schema_editor.connection.alias).filter(status="pending").update(status="new")


def new_to_pending(apps, schema_editor):
    apps.get_model("topics", "TopicSuggestion").objects.using(schema_editor.connection.alias).filter(status="new").update(status="pending")


class Migration(migrations.Migration):
    """New suggestions are stored as "new" (they were stored as "pending", the comments' word)."""

    dependencies = [("topics", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="topicsuggestion",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "New"),
                    ("under_review", "Under review"),
                    ("planned", "Planned"),
                    ("published", "Published"),
                    ("declined", "Declined"),
                    ("spam", "Spam"),
                ],
                db_index=True,
                default="new",
                max_length=20,
            ),
        ),
        migrations.RunPython(pending_to_new, new_to_pending),
    ]

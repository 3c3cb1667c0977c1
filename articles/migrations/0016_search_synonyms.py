from django.db import migrations, models

from core.groups import EDITORS, grant


def editors_manage_synonyms(apps, schema_editor):
    actions = ["add", "change", "delete", "view"]
    grant(apps, EDITORS, "articles", {"searchsynonym": actions}, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_search_words")]

    operations = [
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "term",
                    models.CharField(
                        help_text="A word or phrase readers type, for example “slipped disc”.",
                        max_length=100,
                        unique=True,
                        verbose_name="when readers search for",
                    ),
                ),
                (
                    "synonyms",
                    models.TextField(
                        help_text=(
                            "Words or phrases our articles use for the same thing, separated by commas or on "
                            "separate lines."
                        ),
                        verbose_name="also search for",
                    ),
                ),
            ],
            options={"verbose_name": "search synonym", "ordering": ["term"]},
        ),
        migrations.RunPython(editors_manage_synonyms, migrations.RunPython.noop),
    ]

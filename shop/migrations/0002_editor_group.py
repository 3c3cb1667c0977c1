from django.db import migrations

from core.groups import EDITORS, grant


def grant_editors(apps, schema_editor):
    grant(apps, EDITORS, "shop", {"product": ["add", "change", "delete", "view"]}, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]

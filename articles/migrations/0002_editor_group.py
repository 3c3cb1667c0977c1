from django.db import migrations

from core.groups import EDITORS, grant

ALL = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor):
    grant(apps, EDITORS, "articles", {"article": ALL, "category": ALL, "clinician": ALL, "slugredirect": ALL}, using=schema_editor.connection.alias)
    grant(apps, EDITORS, "clinic_site", {"sitesettings": ["change", "view"]}, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("clinic_site", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, migrations.RunPython.noop)]

from django.db import migrations

from core.groups import MODERATORS, grant


def grant_moderators(apps, schema_editor):
    # view and change work the queue and reply; delete serves only the erase-by-email privacy action
    # (the admin's bulk delete is switched off for comments). Comments are never added by hand.
    grant(apps, MODERATORS, "comments", {"comment": ["view", "change", "delete"]}, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_moderators, migrations.RunPython.noop)]

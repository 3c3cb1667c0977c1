from django.db import migrations


def create_settings_row(apps, schema_editor):
    """The single settings row exists from the start, so reading it never writes."""
    SiteSettings = apps.get_model("clinic_site", "SiteSettings")
    SiteSettings.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("clinic_site", "0001_initial")]

    operations = [migrations.RunPython(create_settings_row, migrations.RunPython.noop)]

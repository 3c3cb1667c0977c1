from django.db import migrations


class Migration(migrations.Migration):
    """Site settings now belong to `core` (core 0001 took over the table and its records)."""

    dependencies = [("clinic_site", "0002_site_settings_row"), ("core", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="SiteSettings")]),
    ]

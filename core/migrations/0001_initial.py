from django.db import migrations, models

from core.app_moves import move_content_types


def move_to_core(apps, schema_editor):
    move_content_types(apps, from_app="clinic_site", to_app="core", model_names=["sitesettings"], using=schema_editor.connection.alias)


def move_back(apps, schema_editor):
    move_content_types(apps, from_app="core", to_app="clinic_site", model_names=["sitesettings"], using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    """Site settings move from the configuration package to `core`; the table stays as it is."""

    initial = True

    dependencies = [
        ("clinic_site", "0002_site_settings_row"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("clinic_name", models.CharField(default="Riverside Pain Clinic", max_length=120)),
                        (
                            "tagline",
                            models.CharField(blank=True, default="Clear answers about living with pain", max_length=200),
                        ),
                        ("contact_email", models.EmailField(blank=True, max_length=254)),
                        ("contact_phone", models.CharField(blank=True, max_length=40)),
                        ("address", models.TextField(blank=True)),
                        (
                            "community_url",
                            models.URLField(
                                blank=True, help_text="The clinic's online community, for example its Facebook group."
                            ),
                        ),
                        (
                            "community_text",
                            models.CharField(
                                blank=True,
                                default="Share experiences and questions with other patients and carers.",
                                max_length=200,
                            ),
                        ),
                        (
                            "medical_disclaimer",
                            models.TextField(
                                blank=True,
                                default="This article is for general education and is not a substitute for advice from your own clinician. If you have new, severe or worsening pain, contact your doctor.",
                            ),
                        ),
                        (
                            "product_disclaimer",
                            models.TextField(
                                blank=True,
                                default="These products support, but do not replace, the care plan agreed with your clinician.",
                            ),
                        ),
                        (
                            "moderator_emails",
                            models.TextField(
                                blank=True,
                                help_text="Addresses told about new comments and suggestions awaiting review, one per line.",
                            ),
                        ),
                        (
                            "disallowed_words",
                            models.TextField(
                                blank=True,
                                help_text="Words or phrases, one per line, that send a submission straight to the spam folder.",
                            ),
                        ),
                    ],
                    options={
                        'db_table': 'clinic_site_sitesettings',
                        "verbose_name": "site settings",
                        "verbose_name_plural": "site settings",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_to_core, move_back),
    ]

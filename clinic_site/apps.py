from django.apps import AppConfig


class ClinicSiteConfig(AppConfig):
    """The configuration package: deploy checks (and the migration history of site settings,
    which moved to `core`)."""

    name = "clinic_site"
    verbose_name = "Clinic"

    def ready(self):
        from clinic_site import checks  # noqa: F401  (registers the deploy checks)

from django.apps import AppConfig


class ClinicSiteConfig(AppConfig):
    name = "clinic_site"
    verbose_name = "Clinic"

    def ready(self):
        from clinic_site import checks  # noqa: F401  (registers the deploy checks)
        from clinic_site.page_cache import connect_invalidation

        connect_invalidation()

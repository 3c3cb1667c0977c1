from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self):
        import pagecache
        from core.models import SiteSettings

        # Site settings show on every page (the clinic's name, the footer, the disclaimers).
        pagecache.invalidate_on_change(SiteSettings)

from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Reader submissions"

    def ready(self):
        from submissions import conf  # noqa: F401  (registers the check naming deprecated settings)

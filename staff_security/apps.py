from django.apps import AppConfig


class StaffSecurityConfig(AppConfig):
    name = "staff_security"
    verbose_name = "Staff sign-in security"

    def ready(self):
        from staff_security import checks, signals  # noqa: F401  (checks register themselves)

        signals.connect()

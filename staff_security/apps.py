from django.apps import AppConfig


class StaffSecurityConfig(AppConfig):
    name = "staff_security"
    verbose_name = "Staff sign-in security"

    def ready(self):
        from core.staff_access import staff_confirmation_register
        from staff_security import checks, signals  # noqa: F401  (checks register themselves)
        from staff_security.policy import staff_powers_confirmed

        signals.connect()
        staff_confirmation_register(staff_powers_confirmed)

"""`check --deploy` warns when production runs without the staff second factor."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    if settings.STAFF_REQUIRE_SECOND_FACTOR:
        return []
    return [
        Warning(
            "Staff can sign in to the admin with a password alone.",
            hint="Leave STAFF_REQUIRE_SECOND_FACTOR unset (or 1) in production.",
            id="staff_security.W001",
        )
    ]

"""Admin lockouts: one account guessed from one address, and one address guessing many accounts.

django-axes counts failures per rule of `AXES_LOCKOUT_PARAMETERS` but compares every rule with one
`AXES_FAILURE_LIMIT`. A password spray (a few guesses each at many user names) from one address
needs its own, higher limit, or a clinic whose staff share one office address would lock each other
out after five typos. This handler scales the address-only count so that it reaches the shared
limit only at `AXES_ADDRESS_FAILURE_LIMIT` failures.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

ADDRESS_ONLY = ("ip_address",)


def _rule(parameter):
    return (parameter,) if isinstance(parameter, str) else tuple(parameter)


class AddressSprayHandler(AxesDatabaseHandler):
    """`AxesDatabaseHandler` with a separate failure limit for the address-only rule."""

    def get_failures(self, request, credentials=None):
        limit = get_failure_limit(request, credentials)
        address_limit = max(limit, settings.AXES_ADDRESS_FAILURE_LIMIT)
        rules = get_lockout_parameters(request, credentials)
        attempts_per_rule = self.get_user_attempts(request, credentials)
        worst = 0
        for parameter, attempts in zip(rules, attempts_per_rule, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if _rule(parameter) == ADDRESS_ONLY:
                # Reaches `limit` exactly when the address has failed `address_limit` times.
                failures = failures * limit // address_limit
            worst = max(worst, failures)
        return worst

"""The settings of the rules every kind of reader submission follows.

They were named COMMENTS_* while comments were the only kind; they are SUBMISSIONS_* now. For one
release a settings module (or a test) that still sets an old name is obeyed, with a
DeprecationWarning naming the new one: the project's own settings no longer define the old names,
so one that is present was set on purpose. clinic_site/settings.py does the same for the
environment variables, where the new name wins when both are set.
"""

import os
import warnings

from django.conf import settings
from django.core import checks

# New name: old name.
RENAMED = {
    "SUBMISSIONS_SPAM_BELOW": "COMMENTS_SPAM_BELOW",
    "SUBMISSIONS_APPROVE_FROM": "COMMENTS_APPROVE_FROM",
    "SUBMISSIONS_AUTO_APPROVE": "COMMENTS_AUTO_APPROVE",
    "SUBMISSIONS_TRUST_KNOWN_EMAILS": "COMMENTS_TRUST_KNOWN_EMAILS",
    "SUBMISSIONS_MAX_LINKS": "COMMENTS_MAX_LINKS",
    "SUBMISSIONS_RATE_LIMIT": "COMMENTS_RATE_LIMIT",
    "SUBMISSIONS_RATE_WINDOW_SECONDS": "COMMENTS_RATE_WINDOW_SECONDS",
    "SUBMISSIONS_SPAM_RETENTION_DAYS": "COMMENTS_SPAM_RETENTION_DAYS",
    "SUBMISSIONS_IP_RETENTION_DAYS": "COMMENTS_IP_RETENTION_DAYS",
}


def submission_setting(name):
    """The value of the SUBMISSIONS_* setting `name`, or of its old name where that is still set."""
    old_name = RENAMED[name]
    if hasattr(settings, old_name):
        warnings.warn(f"The setting {old_name} is deprecated: set {name}.", DeprecationWarning, stacklevel=2)
        return getattr(settings, old_name)
    return getattr(settings, name)


@checks.register()
def check_old_names(app_configs, **kwargs):
    """`manage.py check` (and every server start) names each old setting or variable still in use:
    the DeprecationWarning alone is hidden unless Python is run with -W."""
    found = []
    for name, old_name in RENAMED.items():
        if old_name in os.environ:
            where = "environment variable"
        elif hasattr(settings, old_name):
            where = "setting"
        else:
            continue
        found.append(
            checks.Warning(
                f"The {where} {old_name} is deprecated and will stop working in the next release.",
                hint=f"Set {name} instead{'' if where == 'setting' else ' (it wins when both are set)'}.",
                id="submissions.W001",
            )
        )
    return found

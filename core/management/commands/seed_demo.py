"""`manage.py seed_demo`: a clinic full of believable content, safe to run again and again.

`make run` calls it after `migrate`. Each installed app with a `demo` module adds its own
content through `demo.seed(stdout)`, in the order of INSTALLED_APPS (articles before the
comments on them), so no app's demo is named here; with DEBUG on, a demo's `logins()` makes
that app's demo log-ins, and all are printed together at the end. Demo log-ins are created only when DEBUG is
on, so this command can never open a production site.
"""

import importlib

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from core.demo import DemoLogin
from core.groups import EDITORS, MODERATORS

# Readable on purpose: these accounts exist only on a developer's machine (DEBUG on).
DEMO_ACCOUNTS = [
    {"username": "admin", "password": "admin-demo-2026", "group": None, "superuser": True, "role": "everything"},
    {"username": "editor", "password": "editor-demo-2026", "group": EDITORS, "superuser": False, "role": "editor"},
    {
        "username": "moderator",
        "password": "moderator-demo-2026",
        "group": MODERATORS,
        "superuser": False,
        "role": "moderator",
    },
]


class Command(BaseCommand):
    help = "Load the demo clinic: categories, clinicians, articles, site settings and, with DEBUG on, log-ins."

    def handle(self, *args, **options):
        demos = [
            importlib.import_module(f"{app_config.name}.demo")
            for app_config in apps.get_app_configs()
            if module_has_submodule(app_config.module, "demo")
        ]
        for demo in demos:
            demo.seed(self.stdout)
        if settings.DEBUG:
            logins = self.seed_accounts()
            for demo in demos:
                logins += demo.logins() if hasattr(demo, "logins") else []
            self.print_logins(logins)
        else:
            self.stdout.write("DEBUG is off, so no demo accounts were created. Use `manage.py createsuperuser`.")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))

    @transaction.atomic
    def seed_accounts(self):
        User = get_user_model()
        logins = []
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=account["username"],
                defaults={
                    "email": f"{account['username']}@example.org",
                    "is_staff": True,
                    "is_superuser": account["superuser"],
                },
            )
            if created:
                user.set_password(account["password"])
                user.save(update_fields=["password"])
            if account["group"]:
                group, _created = Group.objects.get_or_create(name=account["group"])
                user.groups.add(group)
            logins.append(DemoLogin(account["username"], account["password"], account["role"], created))
        return logins

    def print_logins(self, logins):
        """Every demo log-in together, under the address this site answers on (`SITE_URL`)."""
        self.stdout.write(f"Log in at {settings.SITE_URL}/{settings.ADMIN_URL} as:")
        for login in logins:
            note = "" if login.created else " (unless you have changed it)"
            self.stdout.write(f"  {login.username} / {login.password}  ({login.role}){note}")
        if not settings.STAFF_REQUIRE_SECOND_FACTOR:
            self.stdout.write(
                "Staff sign in with a second factor in production (an authenticator app, passkey or recovery code). "
                "To try it here: STAFF_REQUIRE_SECOND_FACTOR=1 make run"
            )

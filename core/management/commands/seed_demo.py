"""`manage.py seed_demo`: a clinic full of believable content, safe to run again and again.

`make run` calls it after `migrate`. Each installed app with a `demo` module adds its own
content through `demo.seed(stdout)`, in the order of INSTALLED_APPS (articles before the
comments on them), so no app's demo is named here. Demo log-ins are created only when DEBUG is
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

from core.groups import EDITORS, MODERATORS

# Readable on purpose: these accounts exist only on a developer's machine (DEBUG on).
DEMO_ACCOUNTS = [
    {"username": "admin", "password": "admin-demo-2026", "group": None, "superuser": True},
    {"username": "editor", "password": "editor-demo-2026", "group": EDITORS, "superuser": False},
    {"username": "moderator", "password": "moderator-demo-2026", "group": MODERATORS, "superuser": False},
]


class Command(BaseCommand):
    help = "Load the demo clinic: categories, clinicians, articles, site settings and, with DEBUG on, log-ins."

    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            if module_has_submodule(app_config.module, "demo"):
                importlib.import_module(f"{app_config.name}.demo").seed(self.stdout)
        if settings.DEBUG:
            self.seed_accounts()
        else:
            self.stdout.write("DEBUG is off, so no demo accounts were created. Use `manage.py createsuperuser`.")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))

    @transaction.atomic
    def seed_accounts(self):
        User = get_user_model()
        login_url = f"http://127.0.0.1:8000/{settings.ADMIN_URL}"
        lines = []
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
            note = "" if created else " (unless you have changed it)"
            lines.append(f"  {account['username']} / {account['password']}{note}")
        self.stdout.write(f"Log in at {login_url} as:")
        for line in lines:
            self.stdout.write(line)
        if not settings.STAFF_REQUIRE_SECOND_FACTOR:
            self.stdout.write(
                "Staff sign in with a second factor in production (an authenticator app, passkey or recovery code). "
                "To try it here: STAFF_REQUIRE_SECOND_FACTOR=1 make run"
            )

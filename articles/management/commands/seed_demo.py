"""`manage.py seed_demo`: a clinic full of believable content, safe to run again and again.

`make run` calls it after `migrate`. Other apps add their own demo data without editing this
command: if `shop.demo` or `comments.demo` exists, its seeder is called after the articles.
Demo log-ins are created only when DEBUG is on, so this command can never open a production site.
"""

import importlib
import importlib.util

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.demo import seed_content
from articles.demo.content import SITE_SETTINGS
from clinic_site.groups import EDITORS, MODERATORS
from clinic_site.models import SiteSettings

# (module, function): each is called with the command's stdout when the module exists.
APP_SEEDERS = [("shop.demo", "seed_products"), ("comments.demo", "seed_comments")]

# Readable on purpose: these accounts exist only on a developer's machine (DEBUG on).
DEMO_ACCOUNTS = [
    {"username": "admin", "password": "admin-demo-2026", "group": None, "superuser": True},
    {"username": "editor", "password": "editor-demo-2026", "group": EDITORS, "superuser": False},
    {"username": "moderator", "password": "moderator-demo-2026", "group": MODERATORS, "superuser": False},
]


class Command(BaseCommand):
    help = "Load the demo clinic: categories, clinicians, articles, site settings and, with DEBUG on, log-ins."

    def handle(self, *args, **options):
        seed_content(self.stdout)
        self.seed_site_settings()
        for module_name, function_name in APP_SEEDERS:
            if module_exists(module_name):
                getattr(importlib.import_module(module_name), function_name)(self.stdout)
        if settings.DEBUG:
            self.seed_accounts()
        else:
            self.stdout.write("DEBUG is off, so no demo accounts were created. Use `manage.py createsuperuser`.")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))

    def seed_site_settings(self):
        """Fill only the fields that are still empty, so an editor's changes survive a re-run."""
        site = SiteSettings.load()
        changed = [name for name, value in SITE_SETTINGS.items() if not getattr(site, name)]
        for name in changed:
            setattr(site, name, SITE_SETTINGS[name])
        if changed:
            site.save()
        self.stdout.write(f"Site settings: {len(changed)} empty fields filled in.")

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


def module_exists(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False

"""Demo site settings for `manage.py seed_demo`: only empty fields are filled, so an editor's
changes survive a re-run. `DemoLogin` is what an app's demo returns for each log-in it made."""

from typing import NamedTuple

from core.models import SiteSettings


class DemoLogin(NamedTuple):
    username: str
    password: str
    role: str
    created: bool  # False: the account was there already, and its password may have been changed


SITE_SETTINGS = {
    "clinic_name": "Riverside Pain Clinic",
    "tagline": "Clear answers about living with pain",
    "contact_email": "hello@riverside-pain.example.org",
    "contact_phone": "+1 555 0134 200",
    "address": "Riverside Pain Clinic\n12 Willow Lane, Suite 3\nRiverside, ST 55501",
    # No community link: the "Join our community" blocks appear once staff enter the clinic's real
    # group in the admin (Site settings › Community); a made-up address would send readers nowhere.
    "community_text": "Share experiences and questions with other patients and carers in our online group.",
    "moderator_emails": "frontdesk@riverside-pain.example.org",
}


def seed(stdout):
    site = SiteSettings.load()
    changed = [name for name, value in SITE_SETTINGS.items() if not getattr(site, name)]
    for name in changed:
        setattr(site, name, SITE_SETTINGS[name])
    if changed:
        site.save()
    stdout.write(f"Site settings: {len(changed)} empty fields filled in.")

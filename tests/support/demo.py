"""The demo clinic, seeded once for a test module."""

import contextlib
import io

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@contextlib.contextmanager
def demo_clinic(django_db_blocker, media):
    """Seeds in a transaction rolled back when the module is done, and yields what the command said.

    Drawing and cutting the illustrations takes seconds; each test of the module runs in a
    savepoint inside this transaction, so it sees the seeded clinic and leaves it as it found it.
    """
    output = io.StringIO()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)

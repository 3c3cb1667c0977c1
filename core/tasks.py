"""Core's periodic housekeeping for the worker (sending one email is `core.outbox.deliver_email`)."""

from django.core.management import call_command
from django_tasks import task

from core import outbox


@task()
def requeue_stalled_emails():
    """Emails a dead worker left behind, queued again (at least once across a crash; see core.outbox)."""
    return outbox.stalled_emails_requeue()


@task()
def clear_expired_sessions():
    call_command("clearsessions")

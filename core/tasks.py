"""The site-wide jobs the worker runs: sending one email, and the periodic housekeeping of core."""

from django.core.management import call_command
from django_tasks import task

from core import outbox


@task()
def deliver_email(email_id):
    """Send one queued email (at most once while nothing crashes; see core.outbox)."""
    return outbox.outgoing_email_deliver(email_id=email_id)


@task()
def requeue_stalled_emails():
    return outbox.stalled_emails_requeue()


@task()
def clear_expired_sessions():
    call_command("clearsessions")

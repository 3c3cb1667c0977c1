"""Core's periodic housekeeping for the worker (sending one email is `core.outbox.deliver_email`)."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core import outbox


@task()
def requeue_stalled_emails():
    """Emails a dead worker left behind, queued again (at least once across a crash; see core.outbox)."""
    return outbox.stalled_emails_requeue()


@task()
def clear_expired_sessions():
    call_command("clearsessions")


@task()
def prune_finished_work():
    """Sent emails (readers' addresses and words) and finished job rows are kept only for a while."""
    now = timezone.now()
    emails = outbox.sent_emails_prune(before=now - timedelta(days=settings.MAIL_KEEP_DAYS))
    jobs, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - timedelta(days=settings.TASKS_KEEP_DAYS)
    ).delete()
    return {"emails": emails, "jobs": jobs}

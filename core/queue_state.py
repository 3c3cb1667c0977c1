"""How the task queue is doing, for the readiness probe and the administrators' admin index."""

from dataclasses import dataclass

from django.db.models import Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from core.models import OutgoingEmail


@dataclass(frozen=True)
class QueueState:
    waiting: int  # jobs due now and not started
    oldest_wait_seconds: float  # how long the oldest of them has been due (0 when none)
    failed_emails: int  # emails given up on, waiting for an operator's "retry"
    failed_jobs: int  # other jobs that ended with an error


def due_jobs(now):
    return DBTaskResult.objects.filter(status="READY").filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))


def oldest_wait_seconds(now=None):
    """How long the oldest job that could run has waited: since it was queued, or, for a job deferred
    to later (an email's next attempt), since its time came."""
    now = now or timezone.now()
    undeferred = due_jobs(now).filter(run_after=get_date_max()).aggregate(first=Min("enqueued_at"))["first"]
    deferred = due_jobs(now).filter(run_after__lte=now).aggregate(first=Min("run_after"))["first"]
    starts = [moment for moment in (undeferred, deferred) if moment is not None]
    return max(0.0, (now - min(starts)).total_seconds()) if starts else 0.0


def queue_state(now=None):
    now = now or timezone.now()
    return QueueState(
        waiting=due_jobs(now).count(),
        oldest_wait_seconds=oldest_wait_seconds(now),
        failed_emails=OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
        failed_jobs=DBTaskResult.objects.filter(status="FAILED").count(),
    )

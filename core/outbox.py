"""Every email the site sends goes through here: queued with the change that caused it, sent by a worker.

`email_enqueue()` writes an `OutgoingEmail` and its job in the caller's transaction: a rolled-back
change sends nothing, a committed one cannot lose its email. The worker (`outgoing_email_deliver`)
sends it at most once while nothing crashes: it claims the row (queued → sending) before talking to
the mail server and marks it sent as soon as the server accepts. A worker killed between those two
steps leaves the row "sending"; the sweep queues it again after MAIL_STALE_SECONDS, so in that one
window the email can arrive twice, with the same Message-ID (made from the key). A failure is tried
again with growing delays for MAIL_RETRY_HOURS, then the email is marked failed for the admin.
"""

import logging
import uuid
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from core.models import OutgoingEmail

logger = logging.getLogger(__name__)

MESSAGE_ID_DOMAIN = "clinic.outbox"


def message_id_for(key):
    """The same Message-ID for every copy of one queued email, whoever sends it."""
    return f"<{key}@{MESSAGE_ID_DOMAIN}>"


def email_enqueue(*, subject, body, to, headers=None, from_email=None, key=None):
    """Queue one email in the current transaction; returns it (None when there is nobody to send to)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    key = key or uuid.uuid4().hex
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            key=key,
            subject=str(subject),
            body=str(body),
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            headers=dict(headers or {}),
            message_id=message_id_for(key),
        )
        _job_enqueue(email)
    return email


@task()
def deliver_email(email_id):
    """The worker's job for one queued email (its only argument is the row's id)."""
    return outgoing_email_deliver(email_id=email_id)


def _job_enqueue(email, *, run_after=None):
    task = deliver_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the immediate backend (tests) cannot wait: the sweep or an operator tries again
        task = task.using(run_after=run_after)
    result = task.enqueue(email.pk)
    email.task_id = str(result.id)
    OutgoingEmail.objects.filter(pk=email.pk).update(task_id=email.task_id)


def retry_delay(attempts):
    """Seconds to wait after the n-th failed attempt: doubling from MAIL_RETRY_FIRST_SECONDS, capped."""
    first = max(1, settings.MAIL_RETRY_FIRST_SECONDS)
    return min(first * 2 ** max(0, attempts - 1), max(first, settings.MAIL_RETRY_MAX_SECONDS))


def outgoing_email_deliver(*, email_id):
    """Send one queued email unless it is already sent or being sent; returns its status."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.SENDING, attempts=F("attempts") + 1, changed_at=timezone.now()
    )
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or not claimed:
        return email.status if email else "missing"
    message = EmailMessage(
        email.subject,
        email.body,
        email.from_email,
        email.to,
        headers={**email.headers, "Message-ID": email.message_id or message_id_for(email.key)},
    )
    try:
        message.send()
    except Exception as error:  # noqa: BLE001  (SMTP, DNS, TLS: each is a reason to try again later)
        return _attempt_failed(email, error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), changed_at=timezone.now(), last_error=""
    )
    return OutgoingEmail.Status.SENT


def _attempt_failed(email, error):
    now = timezone.now()
    error_text = f"{type(error).__name__}: {error}"[:2000]
    if now - email.created_at >= timedelta(hours=settings.MAIL_RETRY_HOURS):
        logger.error(
            "Could not send %r after %d attempts; marked failed: %s", email.subject, email.attempts, error_text
        )
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.FAILED, last_error=error_text, next_attempt_at=None, changed_at=now
        )
        return OutgoingEmail.Status.FAILED
    run_after = now + timedelta(seconds=retry_delay(email.attempts))
    logger.warning(
        "Could not send %r (attempt %d), trying again at %s: %s", email.subject, email.attempts, run_after, error_text
    )
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.QUEUED, last_error=error_text, next_attempt_at=run_after, changed_at=now
        )
        _job_enqueue(email, run_after=run_after)
    return OutgoingEmail.Status.QUEUED


class Retried(NamedTuple):
    """What the admin's Retry did: emails queued again, and those left alone with the reason."""

    queued: int
    being_sent: int
    sent: int


def outgoing_emails_retry(emails):
    """Queue failed, waiting or stalled emails again from now, with a fresh retry window (the admin's action).

    An email being sent (claimed less than MAIL_STALE_SECONDS ago) or sent is left alone: a second
    job for it could send it twice. Each row is changed only if it is still as it was read, as the
    sweep does, so a worker claiming it meanwhile wins. A waiting email's earlier job then finds it
    claimed or sent and does nothing."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.MAIL_STALE_SECONDS)
    queued = being_sent = sent = 0
    for email in emails:
        if email.status == OutgoingEmail.Status.SENT:
            sent += 1
            continue
        if email.status == OutgoingEmail.Status.SENDING and email.changed_at >= stale:
            being_sent += 1
            continue
        with transaction.atomic():
            updated = OutgoingEmail.objects.filter(
                pk=email.pk, status=email.status, changed_at=email.changed_at
            ).update(status=OutgoingEmail.Status.QUEUED, created_at=now, next_attempt_at=None, changed_at=now)
            if updated:
                _job_enqueue(email)
        if updated:
            queued += 1
        else:
            being_sent += 1  # a worker took it between the read and the update
    return Retried(queued=queued, being_sent=being_sent, sent=sent)


def _is_uuid(text):
    try:
        uuid.UUID(text)
    except (TypeError, ValueError):
        return False
    return True


def stalled_emails_requeue():
    """Queue again what a dead worker or a lost job left behind: sending, or queued with no live job."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    stale = now - timedelta(seconds=settings.MAIL_STALE_SECONDS)
    candidates = list(
        OutgoingEmail.objects.filter(
            Q(status=OutgoingEmail.Status.SENDING) | Q(status=OutgoingEmail.Status.QUEUED), changed_at__lt=stale
        ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=stale))[:1000]
    )
    job_ids = [email.task_id for email in candidates if _is_uuid(email.task_id)]
    waiting = DBTaskResult.objects.filter(status="READY", id__in=job_ids).values_list("id", flat=True)
    live = {str(job_id) for job_id in waiting}
    count = 0
    for email in candidates:
        if email.status == OutgoingEmail.Status.QUEUED and email.task_id in live:
            continue  # waiting its turn behind a long queue
        with transaction.atomic():
            updated = OutgoingEmail.objects.filter(
                pk=email.pk, status=email.status, changed_at=email.changed_at
            ).update(status=OutgoingEmail.Status.QUEUED, changed_at=now)
            if updated:
                logger.warning("Queued %r again: its worker stopped before finishing it", email.subject)
                _job_enqueue(email)
                count += 1
    return count


def sent_emails_prune(*, before):
    """Forget emails sent before `before`; failed ones stay until an operator has seen them."""
    deleted, _ = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT, sent_at__lt=before).delete()
    return deleted

"""The outbox: an email exists exactly when the change that caused it commits, is sent at most once
while nothing crashes, carries a Message-ID of its own, and a failed one can be retried from the admin."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from core.models import OutgoingEmail
from core.outbox import email_enqueue, message_id_for, outgoing_email_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_an_email_queued_in_a_rolled_back_change_never_exists(database_queue):
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(subject="Hello", body="Body", to=["ana@example.com"])
        raise RuntimeError("the change fails")
    assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists()


def test_a_sent_email_is_never_sent_again_and_keeps_its_message_id(database_queue):
    email = email_enqueue(subject="Hello", body="Body", to=["ana@example.com"], key="greeting-1")
    assert outgoing_email_deliver(email_id=email.pk) == "sent"
    assert outgoing_email_deliver(email_id=email.pk) == "sent"  # a duplicate job finds it sent
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == message_id_for("greeting-1") == "<greeting-1@clinic.outbox>"
    assert OutgoingEmail.objects.get().attempts == 1


def test_nobody_to_send_to_queues_nothing(database_queue):
    assert email_enqueue(subject="Hello", body="Body", to=["", None]) is None
    assert not OutgoingEmail.objects.exists()


def test_an_administrator_retries_a_failed_email_from_the_admin(admin_client):
    failed = OutgoingEmail.objects.create(
        key="k1", subject="Your comment", body="b", to=["ana@example.com"], status="failed", last_error="refused"
    )
    changelist = reverse("admin:core_outgoingemail_changelist")
    assert "refused" in admin_client.get(changelist + "?status__exact=failed").content.decode()

    response = admin_client.post(changelist, {"action": "retry", "_selected_action": [failed.pk]}, follow=True)

    assert "1 email queued again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "sent" and [m.subject for m in mail.outbox] == ["Your comment"]


def test_the_admin_retries_failed_and_stalled_emails_but_never_one_being_sent(admin_client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.MAIL_STALE_SECONDS = 60
    rows = {
        name: OutgoingEmail.objects.create(key=name, subject=name, body="b", to=["ana@example.com"], status=status)
        for name, status in [
            ("failed", "failed"),
            ("waiting", "queued"),  # for its next attempt, after a failure
            ("stalled", "sending"),
            ("in flight", "sending"),
            ("sent", "sent"),
        ]
    }
    OutgoingEmail.objects.filter(key="stalled").update(changed_at=timezone.now() - timedelta(minutes=5))
    changelist = reverse("admin:core_outgoingemail_changelist")
    chosen = [row.pk for row in rows.values()]

    response = admin_client.post(changelist, {"action": "retry", "_selected_action": chosen}, follow=True)

    page = response.content.decode()
    assert "3 emails queued again." in page
    assert "1 email was not retried: it is being sent right now." in page
    assert "1 email was not retried: it was sent already." in page
    assert sorted(message.subject for message in mail.outbox) == ["failed", "stalled", "waiting"]
    assert OutgoingEmail.objects.get(key="in flight").status == "sending"


def test_the_sweep_queues_again_what_a_dead_worker_left_but_not_what_waits_its_turn(database_queue, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from core.outbox import stalled_emails_requeue

    settings.MAIL_STALE_SECONDS = 60
    stuck = email_enqueue(subject="Stuck", body="b", to=["a@example.com"])
    waiting = email_enqueue(subject="Waiting", body="b", to=["b@example.com"])
    DBTaskResult.objects.filter(id=stuck.task_id).update(status="RUNNING")  # its worker was killed
    long_ago = timezone.now() - timedelta(minutes=5)
    OutgoingEmail.objects.filter(pk=stuck.pk).update(status="sending", changed_at=long_ago)
    OutgoingEmail.objects.filter(pk=waiting.pk).update(changed_at=long_ago)

    assert stalled_emails_requeue() == 1
    stuck.refresh_from_db()
    assert stuck.status == "queued" and DBTaskResult.objects.filter(id=stuck.task_id, status="READY").exists()
    assert DBTaskResult.objects.count() == 3  # the waiting email kept its one job


def test_sent_emails_and_finished_jobs_are_forgotten_after_their_days(database_queue, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from core.tasks import prune_finished_work

    old, recent = (email_enqueue(subject=s, body="b", to=["a@example.com"]) for s in ("Old", "Recent"))
    failed = email_enqueue(subject="Failed", body="b", to=["a@example.com"])
    for email in (old, recent):
        outgoing_email_deliver(email_id=email.pk)
    OutgoingEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=31))
    OutgoingEmail.objects.filter(pk=failed.pk).update(status="failed", created_at=timezone.now() - timedelta(days=90))
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=8))

    assert prune_finished_work.call() == {"emails": 1, "jobs": 3}
    assert set(OutgoingEmail.objects.values_list("subject", flat=True)) == {"Recent", "Failed"}

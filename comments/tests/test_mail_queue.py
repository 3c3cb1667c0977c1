"""Comment notices go through the mail queue: none is lost while the mail server is down or a
worker is killed, none arrives twice, and no reader waits for the mail server."""

import re
import time
from collections import defaultdict
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from comments.tests.factories import comment_data
from core.models import OutgoingEmail, SiteSettings
from core.tests.queue_support import SmtpSink, WorkerProcess, free_port, wait_until, worker_environment

MODERATORS = ["desk@clinic.example", "nurse@clinic.example"]
COMMENTS = 50


@pytest.fixture
def queued_mail(settings):
    """The database queue (as in production) and the SMTP backend pointed at a port of our own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    settings.MAIL_RETRY_FIRST_SECONDS = 1
    settings.MAIL_RETRY_MAX_SECONDS = 1
    settings.SUBMISSIONS_RATE_LIMIT = 1000
    site = SiteSettings.load()
    site.moderator_emails = "\n".join(MODERATORS)
    site.save()
    return settings


def post_comments(client, article, count):
    for number in range(count):
        response = client.post(
            reverse("comments:post", kwargs={"slug": article.slug}), comment_data(body=f"Question number {number}.")
        )
        assert response.status_code == 302


def notice_key(recipient, subject, body):
    """One notice: its recipient, its subject and the comment it is about."""
    return recipient, subject, re.search(r"Question number \d+", body).group()


def run_jobs_due_now():
    """The database worker, in this process and this test's transaction, until no job is due."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()


def test_notices_wait_while_the_mail_server_refuses_then_each_arrives_exactly_once(client, article, queued_mail):
    post_comments(client, article, COMMENTS)
    assert mail.outbox == [] and OutgoingEmail.objects.count() == COMMENTS  # queued, none sent in the request

    queued_mail.MAIL_RETRY_FIRST_SECONDS = 3600  # one attempt each, however slow this machine is
    run_jobs_due_now()  # nothing listens on the port: every attempt is refused
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("queued", 1)}
    assert all("Connection refused" in error for error in OutgoingEmail.objects.values_list("last_error", flat=True))

    with SmtpSink(queued_mail.EMAIL_PORT) as server:
        assert server.count() == 0  # none arrived before the server came back
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # an hour later
        deadline = time.monotonic() + 60
        while OutgoingEmail.objects.exclude(status="sent").exists() and time.monotonic() < deadline:
            run_jobs_due_now()
        copies = server.copies(notice_key)

    subject = f"A comment awaits moderation on “{article.title}”"
    expected = {(moderator, subject, f"Question number {n}") for n in range(COMMENTS) for moderator in MODERATORS}
    assert set(copies) == expected
    assert set(copies.values()) == {1}
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failing_email_is_retried_with_growing_delays_then_marked_failed(client, article, queued_mail):
    from core.outbox import retry_delay

    queued_mail.MAIL_RETRY_FIRST_SECONDS = 60
    queued_mail.MAIL_RETRY_MAX_SECONDS = 3600
    assert [retry_delay(n) for n in (1, 2, 3, 7, 8, 20)] == [60, 120, 240, 3600, 3600, 3600]

    post_comments(client, article, 1)
    run_jobs_due_now()
    email = OutgoingEmail.objects.get()
    assert email.status == "queued" and email.attempts == 1
    assert 55 <= (email.next_attempt_at - email.changed_at).total_seconds() <= 61

    queued_mail.MAIL_RETRY_HOURS = 0  # the retry window has passed
    OutgoingEmail.objects.update(status="queued")
    from core.outbox import outgoing_email_deliver

    assert outgoing_email_deliver(email_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 2 and "Connection refused" in email.last_error


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(client, article, queued_mail, tmp_path):
    post_comments(client, article, COMMENTS)
    env = worker_environment(queued_mail.EMAIL_PORT)

    with SmtpSink(queued_mail.EMAIL_PORT, delay=0.05) as server:
        first = WorkerProcess(env, tmp_path / "worker-1.log")
        try:
            assert wait_until(lambda: server.count() >= 20, timeout=60), (tmp_path / "worker-1.log").read_text()
        finally:
            first.kill()  # SIGKILL: no chance to finish the message it is sending
        sent_before = OutgoingEmail.objects.filter(status="sent").count()
        assert 0 < sent_before < COMMENTS

        second = WorkerProcess(env, tmp_path / "worker-2.log")
        try:
            done = wait_until(lambda: not OutgoingEmail.objects.exclude(status="sent").exists(), timeout=90)
            assert done, (tmp_path / "worker-2.log").read_text()
        finally:
            second.stop()
        copies = server.copies(notice_key)
        message_ids = defaultdict(set)
        for recipient, subject, body, message_id in server.messages:
            message_ids[notice_key(recipient, subject, body)].add(message_id)

    assert len(copies) == COMMENTS * len(MODERATORS)  # every notice arrived
    # Only the email the worker was killed with, if the mail server had accepted it before its row
    # was marked sent, comes again; each copy carries its Message-ID, so a mail system drops it.
    doubled = {key for key, count in copies.items() if count > 1}
    assert len({comment for _recipient, _subject, comment in doubled}) <= 1, doubled
    assert all(copies[key] == 2 for key in doubled), doubled
    assert all(len(found) == 1 for found in message_ids.values())

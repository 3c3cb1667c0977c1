"""The daily reminders run by the workers' schedulers: once a day, with two workers running."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from articles.models import ReviewReminder
from articles.tests.factories import make_article, make_clinician
from core.groups import MEDICAL_REVIEWERS
from core.models import OutgoingEmail, PeriodicRun
from core.tests.queue_support import SmtpSink, WorkerProcess, free_port, wait_until, worker_environment

ONLY_REMINDERS = {
    "PERIODIC_PUBLISH_SCHEDULED": "0",
    "PERIODIC_PURGE_SUBMISSION_DATA": "0",
    "PERIODIC_CLEAR_SESSIONS": "0",
    "PERIODIC_BACKUP": "0",
    "PERIODIC_REVIEW_REMINDERS": "1",
    "SCHEDULER_TICK_SECONDS": "0.1",
}


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_reviewer_one_reminder_a_day(django_user_model, tmp_path):
    for name in ("ines", "omar"):
        user = django_user_model.objects.create_user(name, f"{name}@clinic.example", "a-long-test-password")
        user.is_superuser = True  # may review whatever permissions an earlier test's flush left
        user.save()
        user.groups.add(Group.objects.get_or_create(name=MEDICAL_REVIEWERS)[0])
        clinician = make_clinician(name=name, user=user)
        make_article(
            title=f"Old guide by {name}", slug=f"guide-{name}", reviewer=clinician, reviewed_on=date(2020, 1, 1)
        )
    port = free_port()
    env = worker_environment(port, **ONLY_REMINDERS)

    with SmtpSink(port) as server:
        workers = [WorkerProcess(env, tmp_path / f"worker-{n}.log") for n in (1, 2)]
        try:
            arrived = wait_until(lambda: server.count() >= 2, timeout=60)
            wait_until(lambda: False, timeout=3)  # both schedulers tick many more times
        finally:
            for worker in workers:
                worker.stop()
        copies = server.copies(lambda recipient, subject, body: (recipient, subject))

    assert arrived, (tmp_path / "worker-1.log").read_text()
    assert sorted(recipient for recipient, _ in copies) == ["ines@clinic.example", "omar@clinic.example"]
    assert set(copies.values()) == {1}
    assert PeriodicRun.objects.filter(job="review_reminders").count() == 1
    assert ReviewReminder.objects.count() == 2 and OutgoingEmail.objects.count() == 2

"""The task queue's state: the readiness probe fails while jobs wait too long, and administrators
see the queue on the admin index."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import tasks
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waited(minutes):
    result = tasks.clear_expired_sessions.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=minutes))


def test_readiness_fails_while_the_oldest_waiting_job_is_older_than_the_setting(client, database_queue, settings):
    settings.TASKS_READY_MAX_WAIT_SECONDS = 600
    waited(5)
    assert client.get("/healthz/ready").status_code == 200
    waited(11)
    response = client.get("/healthz/ready")
    assert response.status_code == 503 and response.json()["tasks"] == "behind"


def test_a_job_deferred_to_later_does_not_count_as_waiting(client, database_queue):
    tasks.clear_expired_sessions.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=2))
    assert client.get("/healthz/ready").json()["tasks"] == "ok"


def test_administrators_see_the_queue_on_the_admin_index(admin_client, database_queue):
    waited(30)
    OutgoingEmail.objects.create(key="k1", subject="Lost", body="b", to=["a@example.com"], status="failed")
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Background jobs" in page
    assert "1 waiting; the oldest for 30 min" in page
    assert "1 email failed" in page

"""The worker's scheduler queues each periodic job once per period, however many workers tick."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from core.models import PeriodicRun
from core.periodic import period_of, periodic_jobs_enqueue

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
SESSIONS = {"clear_sessions": {"task": "core.tasks.clear_expired_sessions", "every": 86400, "offset": 4 * 3600}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TIME_ZONE = "America/New_York"
    settings.PERIODIC_JOBS = SESSIONS


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=NEW_YORK)


def test_a_daily_job_is_queued_once_a_day_at_its_hour_in_local_time(database_queue):
    assert periodic_jobs_enqueue(now=at(2, 3, 59)) == ["clear_sessions"]  # the period that began yesterday 04:00
    assert periodic_jobs_enqueue(now=at(2, 4, 0)) == ["clear_sessions"]
    for later in (at(2, 4, 1), at(2, 12), at(3, 3, 59)):
        assert periodic_jobs_enqueue(now=later) == []
    assert periodic_jobs_enqueue(now=at(3, 4, 0)) == ["clear_sessions"]
    assert DBTaskResult.objects.filter(task_path="core.tasks.clear_expired_sessions").count() == 3


def test_the_periods_follow_local_time_across_a_clock_change():
    # 8 March 2026: clocks in New York go forward at 02:00; the day is one period, 04:00 to 04:00.
    def daily(moment):
        return period_of(moment, every=86400, offset=4 * 3600)

    assert daily(at(8, 1, 30)) == daily(at(7, 4, 0))
    assert daily(at(8, 4, 0)) == daily(at(8, 23, 59)) == daily(at(7, 4, 0)) + 1
    assert daily(at(9, 4, 0)) == daily(at(8, 4, 0)) + 1


def test_a_switched_off_job_is_never_queued(database_queue, settings):
    settings.PERIODIC_JOBS = {"clear_sessions": {**SESSIONS["clear_sessions"], "enabled": False}}
    assert periodic_jobs_enqueue(now=at(2, 5)) == []
    assert not PeriodicRun.objects.exists() and not DBTaskResult.objects.exists()


def test_a_second_worker_ticking_in_the_same_period_queues_nothing(database_queue):
    PeriodicRun.objects.create(job="clear_sessions", period=str(period_of(at(2, 5), every=86400, offset=4 * 3600)))
    assert periodic_jobs_enqueue(now=at(2, 5)) == []
    assert not DBTaskResult.objects.exists()


def test_a_job_every_minute_runs_every_minute_while_the_clocks_go_back(database_queue, settings):
    """1 November 2026: at 02:00 in New York the clocks go back to 01:00, and 01:00 to 02:00 comes twice."""
    settings.PERIODIC_JOBS = {"every_minute": {"task": "core.tasks.clear_expired_sessions", "every": 60}}
    start = datetime(2026, 11, 1, 5, 0, 30, tzinfo=UTC)  # 01:00:30 summer time
    queued = [periodic_jobs_enqueue(now=start + timedelta(minutes=n)) for n in range(150)]
    assert queued == [["every_minute"]] * 150


def test_a_daily_job_keeps_its_hour_on_the_day_the_clocks_go_back():
    def daily(moment):
        return period_of(moment, every=86400, offset=4 * 3600)

    first, second = (datetime(2026, 11, 1, 1, 30, fold=fold, tzinfo=NEW_YORK) for fold in (0, 1))
    assert daily(first) == daily(second) == daily(datetime(2026, 10, 31, 4, 0, tzinfo=NEW_YORK))
    assert daily(datetime(2026, 11, 1, 4, 0, tzinfo=NEW_YORK)) == daily(second) + 1


def test_a_job_every_minute_is_not_held_back_by_the_runs_numbered_in_local_time_before(database_queue, settings):
    """Ahead of UTC, the minutes once numbered on the local clock come round again an hour later
    counted in absolute time: those earlier rows must not stop the job."""
    settings.TIME_ZONE = "Europe/Berlin"
    settings.PERIODIC_JOBS = {"publish": {"task": "core.tasks.clear_expired_sessions", "every": 60}}
    now = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    an_hour_before_on_the_local_clock = str(int((now - timedelta(hours=1)).timestamp() + 3600) // 60)
    PeriodicRun.objects.create(job="publish", period=an_hour_before_on_the_local_clock)
    assert periodic_jobs_enqueue(now=now) == ["publish"]

"""The worker's scheduler: queue each periodic job (settings.PERIODIC_JOBS) once per period.

django-tasks has no scheduler of its own, and the one add-on package for it is too young to rely on;
this is small. A period is a run of `every` seconds, shifted by `offset` (a daily job with an offset
of 2 h runs once between 02:00 and the next 02:00 local time; shorter periods run on absolute time).
Before a job is queued, a `PeriodicRun` row for (job, period) is inserted in the same transaction: a
second worker ticking at the same moment fails on the unique constraint and queues nothing.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import PeriodicRun

logger = logging.getLogger(__name__)

# Long enough to see what ran lately, and longer than any period (a day).
RUNS_KEPT_DAYS = 3


DAY = 86400


def period_of(now, *, every, offset=0):
    """The number of the period `now` falls in.

    A daily (or longer) period is counted in local time, so it starts at the same hour on the clock
    all year. A shorter one is counted in absolute time: on local time, the hour the clocks go back
    would repeat every period of that hour, each found already run, and the job would stop for it."""
    seconds = now.timestamp() - offset
    if every >= DAY:
        seconds += timezone.localtime(now).utcoffset().total_seconds()
    return int(seconds // every)


def periodic_jobs_enqueue(*, now=None):
    """Queue every enabled periodic job not yet queued for its current period; returns their names."""
    now = now or timezone.now()
    queued = []
    for name, job in settings.PERIODIC_JOBS.items():
        if not job.get("enabled", True):
            continue
        number = period_of(now, every=job["every"], offset=job.get("offset", 0))
        # Shorter periods are counted in absolute time, named apart from the local-clock numbers
        # recorded before they were: ahead of UTC those numbers come round again hours later.
        period = str(number) if job["every"] >= DAY else f"utc-{number}"
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=name, period=period)
                import_string(job["task"]).enqueue()
        except IntegrityError:
            continue  # queued already, by this worker or another
        queued.append(name)
    if queued:
        logger.info("Queued periodic jobs: %s", ", ".join(queued))
        PeriodicRun.objects.filter(queued_at__lt=now - timedelta(days=RUNS_KEPT_DAYS)).delete()
    return queued

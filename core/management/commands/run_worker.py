"""`manage.py run_worker`: run queued jobs, and queue the periodic ones when they are due.

django-tasks-db's `db_worker` runs the jobs; beside it, a thread ticks the scheduler
(`core.periodic`) every SCHEDULER_TICK_SECONDS. Any number of workers may run, on any instances:
each job runs once, and each periodic job is queued once per period.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from core.periodic import periodic_jobs_enqueue

logger = logging.getLogger(__name__)


def scheduler_loop(stop, tick_seconds):
    while not stop.is_set():
        close_old_connections()
        try:
            periodic_jobs_enqueue()
        except Exception:  # noqa: BLE001  (a database hiccup must not stop the scheduler; the next tick retries)
            logger.exception("The scheduler could not queue the periodic jobs")
        finally:
            connections.close_all()
        stop.wait(tick_seconds)


class Command(db_worker.Command):
    help = "Run queued jobs (mail, publishing, reminders, purges, backups) and queue the periodic ones."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Only run jobs; leave the periodic ones to other workers."
        )

    def handle(self, *args, no_scheduler=False, **options):
        # With --reload, the watching parent only restarts the worker: the scheduler runs in the child.
        in_reloader_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not no_scheduler and not in_reloader_parent:
            stop = threading.Event()
            thread = threading.Thread(
                target=scheduler_loop, args=(stop, settings.SCHEDULER_TICK_SECONDS), name="scheduler", daemon=True
            )
            thread.start()
        super().handle(*args, **options)

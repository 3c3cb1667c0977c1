"""A local SMTP server and real worker processes, for the tests of the mail queue."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from bench.loopback import free_port
from bench.smtp_sink import SmtpSink

__all__ = ["SmtpSink", "WorkerProcess", "free_port", "wait_until", "worker_environment"]

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    """The test database, as a worker process started by the test reaches it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


def worker_environment(smtp_port, **extra):
    return {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "MAIL_RETRY_FIRST_SECONDS": "1",
        "MAIL_RETRY_MAX_SECONDS": "2",
        "MAIL_STALE_SECONDS": "1",
        "MAIL_SWEEP_SECONDS": "1",
        "SCHEDULER_TICK_SECONDS": "0.3",
        "PERIODIC_BACKUP": "0",
        "DJANGO_REQUEST_LOG": "0",
        **extra,
    }


class WorkerProcess:
    """`manage.py run_worker` in a process of its own, as operators run it."""

    def __init__(self, env, log_path):
        self.log = open(log_path, "ab")  # noqa: SIM115  (kept open for the process's life)
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay", "-v", "1"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_until(condition, *, timeout, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()

"""A local SMTP server and real worker processes, for the tests of the mail queue."""

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts (after `delay` seconds each)."""

    def __init__(self, port, *, delay=0.0):
        self.port = port
        self.delay = delay
        self.messages = []  # (recipient, subject, body, Message-ID), one per recipient
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_content()
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((recipient, str(message["Subject"]).strip(), body, str(message["Message-ID"])))
        return "250 Message accepted for delivery"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def count(self):
        with self.lock:
            return len(self.messages)

    def copies(self, key):
        """How many copies of each message arrived, keyed by `key(recipient, subject, body)`."""
        with self.lock:
            return Counter(key(recipient, subject, body) for recipient, subject, body, _ in self.messages)


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

"""An SMTP server on loopback that keeps what it accepts: for the mail queue's tests, benchmark and
the cluster test. `delay` makes it a slow mail server (seconds per message)."""

import asyncio
import email
import email.policy
import threading
from collections import Counter

from aiosmtpd.controller import Controller


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

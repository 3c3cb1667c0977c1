"""Sending readers' and moderators' emails after the submission is committed.

A mail failure is logged and never reaches the reader: the submission is already stored.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def quote_reader_text(text):
    """Every line of a reader's text behind "> ", as email quotes it.

    In a message from the clinic, what a reader wrote can then never pass for the clinic's own
    words or links ("Review it here: https://…" typed by a reader stays visibly quoted).
    """
    lines = str(text or "").splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def absolute_url(request, path):
    """A whole address for `path` on SITE_URL, the site's public address: a mail client cannot open
    a bare path, and the host a request came in on may be an internal one."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path) if request is not None else path


def send_safely(subject, template, context, recipients, *, headers=None):
    """Send now, logging (never raising) any failure."""
    if not recipients:
        return
    try:
        body = render_to_string(template, context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, headers=headers or {}).send()
    except Exception:  # noqa: BLE001  (SMTP, DNS, template: any failure must not reach the reader)
        logger.exception("Could not send %r to %d recipient(s)", subject, len(recipients))


def after_commit(send):
    transaction.on_commit(send)

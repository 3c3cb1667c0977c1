"""Readers' and moderators' emails, written from templates and queued with the submission.

The email is queued in the submission's own transaction (`core.outbox`) and sent by the worker:
no reader waits for the mail server, and a mail server that is down delays the email, never loses it.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string

from core.outbox import email_enqueue

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


def email_queue(subject, template, context, recipients, *, headers=None):
    """Render the email now and queue it in the current transaction; a template error is logged,
    never shown to the reader (the submission is kept either way)."""
    if not recipients:
        return None
    try:
        body = render_to_string(template, context)
    except Exception:  # noqa: BLE001  (a broken template must not lose the reader's submission)
        logger.exception("Could not send %r to %d recipient(s): the email did not render", subject, len(recipients))
        return None
    return email_enqueue(subject=subject, body=body, to=recipients, headers=headers)

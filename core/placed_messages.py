"""Confirmations shown beside the form or item they concern, not only at the top of the page.

A view adds an ordinary Django message with a place (`message_at(request, ..., place="topic-form")`);
the template that renders that place shows it there (`{% messages_at "topic-form" as done %}`), and
the base template's message area at the top of <main> shows only the messages with no place.
A place is an element id on the page the reader is sent back to, so the redirect's fragment can
point at the confirmation for readers without JavaScript.
"""

from django.contrib import messages

PLACE_PREFIX = "at:"


def message_at(request, level, text, *, place):
    messages.add_message(request, level, text, extra_tags=f"{PLACE_PREFIX}{place}")


def place_of(message):
    """The place a message belongs to, or "" for a page-wide message."""
    for tag in (message.extra_tags or "").split():
        if tag.startswith(PLACE_PREFIX):
            return tag[len(PLACE_PREFIX) :]
    return ""

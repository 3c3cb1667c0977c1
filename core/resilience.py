"""A database that refuses connections for a moment must not cost a reader their words.

When PostgreSQL (or SQLite) fails while a form is being posted, the view's transaction has
already rolled back, so nothing half-written remains. Instead of the 500 page, the reader
gets a 503 "please try again" page showing what they typed, in a form that posts it again.
The page is rendered without context processors: they may need the database that just failed.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Never echoed back: tokens are single-use or per-request, passwords are never shown.
SKIPPED_FIELDS = {"csrfmiddlewaretoken", "captcha", "g-recaptcha-response"}
MAX_KEPT_FIELDS = 100
SHORT_VALUE_LENGTH = 80
LONG_TEXT_NAMES = {"body", "comment", "message", "description", "details"}
# The readers' forms' own words; any other field shows its name.
LABELS = {
    "name": _("Your name"),
    "email": _("Your email"),
    "body": _("Your comment"),
    "topic": _("Your topic idea"),
    "details": _("More details"),
    "username": _("Username"),
}


def kept_fields(post):
    """The submitted text fields as `(name, label, value, kind)`, kind being input/textarea/hidden."""
    fields = []
    for name, values in post.lists():
        if name in SKIPPED_FIELDS or "password" in name.lower():
            continue
        for value in values:
            if not value:
                continue
            if value == "on" or name.endswith("_FORMS"):
                kind = "hidden"  # a ticked checkbox or an admin formset's counter: kept, nothing to read
            elif name in LONG_TEXT_NAMES or len(value) > SHORT_VALUE_LENGTH or "\n" in value:
                kind = "textarea"
            else:
                kind = "input"
            label = LABELS.get(name) or name.replace("_", " ").replace("-", " ").capitalize()
            fields.append((name, label, value, kind))
            if len(fields) >= MAX_KEPT_FIELDS:
                return fields
    return fields


def try_again_response(request):
    content = render_to_string(
        "try_again.html",
        {
            "fields": kept_fields(request.POST),
            "action": request.get_full_path(),
            "csrf_token": get_token(request),
            "retry_after": RETRY_AFTER_SECONDS,
        },
    )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseRetryMiddleware:
    """Turns a lost database connection during a POST into a 503 page that keeps the reader's text.

    Listed last in MIDDLEWARE, so its `process_exception` sees a view's error first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable during POST %s: %r", request.path, exception)
        return try_again_response(request)

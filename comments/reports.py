"""What the "Report" control under each published comment needs besides its view and workflow.

The browser remembers the comments it reported in a signed cookie sent only to the report
address (so article pages stay cached for it), and a reader counts once per comment whether
known by that cookie or by the address hash. The form is the same under every comment; only
its ids differ, so the shared threads are rendered once with a placeholder for the CSRF token,
which each reader's page fills in (the page cache then splices fresh tokens as everywhere).
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from comments.models import CommentReport
from submissions.conf import submission_setting
from submissions.signed_cookies import SignedIdsCookie

REPORTED_COOKIE = SignedIdsCookie(
    name="reported_comments",
    salt="comments.reported",
    max_age=30 * 86400,
    max_ids=50,
    path=lazy(lambda: reverse("comments:report", kwargs={"pk": 1}).removesuffix("1/"), str)(),
)

CSRF_PLACEHOLDER = "shared-threads-csrf-token"
_PLACEHOLDER_ATTRIBUTE = f'name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}"'


def fill_csrf_token(html, token):
    """The shared threads' HTML with this reader's token in each report form. Readers' text is
    escaped in that HTML, so only the forms' own attributes can match."""
    filled = html.replace(_PLACEHOLDER_ATTRIBUTE, f'name="csrfmiddlewaretoken" value="{token}"')
    return mark_safe(filled)  # noqa: S308  (rendered by the template engine; the token is [A-Za-z0-9])


def report_reasons():
    return CommentReport.Reason.choices


def reports_purge_report(*, now=None):
    """Delete reports (address hashes) past SUBMISSIONS_IP_RETENTION_DAYS, for the purge command."""
    cutoff = (now or timezone.now()) - timedelta(days=submission_setting("SUBMISSIONS_IP_RETENTION_DAYS"))
    deleted, _per_model = CommentReport.objects.filter(created__lt=cutoff).delete()
    return f"comment reports: {deleted} old reports deleted."

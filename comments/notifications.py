"""Emails about comments, sent after the comment is committed; a mail failure never loses one.

Moderators get one email per newly held comment (not spam: the spam folder is reviewed in
the admin, and a flood of bot mail would bury the real ones). A commenter who opted in hears
when the comment is approved and when the clinic replies, with a signed one-click unsubscribe.
The article's author (when their clinician profile has an email) hears of each newly published
reader comment.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from clinic_site.models import SiteSettings

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "comments.unsubscribe"


def unsubscribe_token(email, *, salt=UNSUBSCRIBE_SALT):
    """`salt` names the mailing (comments, topic suggestions), so one link stops only its own emails."""
    return signing.dumps(email.strip().lower(), salt=salt, compress=True)


def email_from_unsubscribe_token(token, *, salt=UNSUBSCRIBE_SALT):
    """The email a token was made for, or None when it was tampered with."""
    try:
        return signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None


def absolute_url(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def send_safely(subject, template, context, recipients, *, headers=None):
    """Send now, logging (never raising) any failure: the comment is already stored."""
    if not recipients:
        return
    try:
        body = render_to_string(template, context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, headers=headers or {}).send()
    except Exception:  # noqa: BLE001  (SMTP, DNS, template: any failure must not reach the reader)
        logger.exception("Could not send %r to %d recipient(s)", subject, len(recipients))


def after_commit(send):
    transaction.on_commit(send)


def notify_moderators_of_held(comment, *, request=None):
    recipients = SiteSettings.load().moderator_email_list
    admin_url = absolute_url(request, reverse("admin:comments_comment_change", args=[comment.pk]))
    context = {"comment": comment, "admin_url": admin_url, "article": comment.article}
    subject = _("A comment awaits review on “%(title)s”") % {"title": comment.article.title}
    after_commit(lambda: send_safely(subject, "comments/email/held.txt", context, recipients))


def _commenter_context(comment, request):
    token = unsubscribe_token(comment.email)
    unsubscribe_url = absolute_url(request, reverse("comments:unsubscribe", args=[token]))
    return (
        {
            "comment": comment,
            "article": comment.article,
            "comment_url": absolute_url(request, comment.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
            "site_settings": SiteSettings.load(),
        },
        {"List-Unsubscribe": f"<{unsubscribe_url}>"},
    )


def notify_commenter_of_approval(comment, *, request=None):
    if not comment.notify_me or comment.is_staff_reply:
        return
    context, headers = _commenter_context(comment, request)
    subject = _("Your comment is published")
    after_commit(lambda: send_safely(subject, "comments/email/approved.txt", context, [comment.email], headers=headers))


def notify_author_of_published_comment(comment, *, request=None):
    """The article's author hears of each newly published reader comment (not clinic replies)."""
    author = comment.article.author
    if comment.is_staff_reply or not author.email:
        return
    context = {
        "comment": comment,
        "article": comment.article,
        "author": author,
        "comment_url": absolute_url(request, comment.get_absolute_url()),
        "site_settings": SiteSettings.load(),
    }
    subject = _("New comment on “%(title)s”") % {"title": comment.article.title}
    after_commit(lambda: send_safely(subject, "comments/email/author.txt", context, [author.email]))


def notify_commenter_of_reply(reply, *, request=None):
    parent = reply.parent
    if parent is None or not parent.notify_me:
        return
    context, headers = _commenter_context(parent, request)
    context["reply"] = reply
    subject = _("The clinic replied to your comment")
    after_commit(lambda: send_safely(subject, "comments/email/reply.txt", context, [parent.email], headers=headers))

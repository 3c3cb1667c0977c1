"""Emails about comments, queued with the comment; a mail failure delays one, never loses it.

Moderators get one email per newly held comment (not spam: the spam folder is reviewed in
the admin, and a flood of bot mail would bury the real ones). A commenter who opted in hears
when the comment is approved and when the clinic replies, with a one-click unsubscribe link.
The article's author (when their clinician profile has an email) hears of each newly published
reader comment.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import SiteSettings
from submissions.mail import absolute_url, email_queue
from submissions.unsubscribe import Mailing, unsubscribe_headers, unsubscribe_token

COMMENT_EMAILS = Mailing(
    gettext_lazy("Comment emails"),
    gettext_lazy("Stop the emails about your comments (when one is published or the clinic replies)?"),
    gettext_lazy("We have stopped emails about your comments. Your comments themselves stay as they are."),
)


def notify_moderators_of_held(comment, *, request=None):
    recipients = SiteSettings.load().moderator_email_list
    admin_url = absolute_url(request, reverse("admin:comments_comment_change", args=[comment.pk]))
    context = {"comment": comment, "admin_url": admin_url, "article": comment.article}
    subject = _("A comment awaits moderation on “%(title)s”") % {"title": comment.article.title}
    email_queue(subject, "comments/email/held.txt", context, recipients)


def _commenter_context(comment, request):
    unsubscribe_url = absolute_url(request, reverse("comments:unsubscribe", args=[unsubscribe_token(comment)]))
    return (
        {
            "comment": comment,
            "article": comment.article,
            "comment_url": absolute_url(request, comment.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
            "site_settings": SiteSettings.load(),
        },
        unsubscribe_headers(unsubscribe_url),
    )


def notify_commenter_of_approval(comment, *, request=None):
    if not comment.notify_me or comment.is_staff_reply:
        return
    context, headers = _commenter_context(comment, request)
    subject = _("Your comment is published")
    email_queue(subject, "comments/email/approved.txt", context, [comment.email], headers=headers)


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
    email_queue(subject, "comments/email/author.txt", context, [author.email])


def notify_commenter_of_reply(reply, *, request=None):
    parent = reply.parent
    if parent is None or not parent.notify_me:
        return
    context, headers = _commenter_context(parent, request)
    context["reply"] = reply
    subject = _("The clinic replied to your comment")
    email_queue(subject, "comments/email/reply.txt", context, [parent.email], headers=headers)

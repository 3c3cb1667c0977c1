"""Emails about topic suggestions, queued with the change; a mail failure delays one, never loses it.

Moderators get one email per new suggestion (not spam). A reader who asked to hear when their
topic is answered gets one email per address when it is published, with a one-click unsubscribe link.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import SiteSettings
from submissions import mail
from submissions.unsubscribe import Mailing, unsubscribe_headers, unsubscribe_token

TOPIC_EMAILS = Mailing(
    gettext_lazy("Topic emails"),
    gettext_lazy("Stop the emails telling you when a topic you suggested is published?"),
    gettext_lazy(
        "We will not email you when the topics you suggested are published. Your suggestions stay on our list."
    ),
    back_url="topics:board",
    back_text=gettext_lazy("See the topics readers asked for"),
)


def notify_moderators_of_suggestion(suggestion, *, request=None):
    recipients = SiteSettings.load().moderator_email_list
    admin_url = mail.absolute_url(request, reverse("admin:topics_topicsuggestion_change", args=[suggestion.pk]))
    context = {"suggestion": suggestion, "admin_url": admin_url}
    subject = _("A topic suggestion awaits moderation: “%(topic)s”") % {"topic": suggestion.topic}
    mail.email_queue(subject, "topics/email/held.txt", context, recipients)


def notify_suggesters(suggestions, *, article, request):
    """One "the article you asked for is live" email per consenting address, however many rows."""
    by_email = {}
    for suggestion in suggestions:
        if suggestion.notify_when_published and suggestion.email:
            email = suggestion.email.strip().lower()
            if email not in by_email or (suggestion.name and not by_email[email].name):
                by_email[email] = suggestion  # greet the reader by name when any of their rows has one
    site_settings = SiteSettings.load()
    article_url = mail.absolute_url(request, article.get_absolute_url())
    for email, suggestion in by_email.items():
        unsubscribe_url = mail.absolute_url(
            request, reverse("topics:unsubscribe", args=[unsubscribe_token(suggestion)])
        )
        context = {
            "suggestion": suggestion,
            "article": article,
            "article_url": article_url,
            "unsubscribe_url": unsubscribe_url,
            "site_settings": site_settings,
        }
        headers = unsubscribe_headers(unsubscribe_url)
        subject = _("The article you asked for is live: “%(title)s”") % {"title": article.title}
        mail.email_queue(subject, "topics/email/published.txt", context, [email], headers=headers)
    return len(by_email)

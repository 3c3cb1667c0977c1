"""The daily email to each medical reviewer: reviews due and drafts waiting.

A reviewer gets at most one reminder a day however often this runs and however many workers run
it: the `ReviewReminder` row for the day and the queued email are written in one transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.dashboard import review_work, reviewers
from articles.models import ReviewReminder
from core.outbox import email_enqueue


def reminder_text(work):
    """What a reviewer is reminded of: the drafts waiting for their review and the reviews due. Their
    work as an editor too (drafts sent back, ready or scheduled) is on the admin index, not here."""
    lines = []
    if work.waiting:
        lines.append(_("Waiting for your medical review:"))
        lines += [f"- {review.latest.content.get('title')}" for review in work.waiting]
        lines.append("")
    if work.due:
        lines.append(_("Reviews overdue or due soon:"))
        for article in work.due:
            due = article.review_due_on.isoformat() if article.review_due_on else _("never reviewed")
            lines.append(f"- {article.title} ({due})")
    return "\n".join(lines)


def review_reminders_send(*, today=None):
    """Queue today's reminders; returns (queued, already sent today)."""
    today = today or timezone.localdate()
    sent = skipped = 0
    for user in reviewers():
        body = reminder_text(review_work(user, today=today))
        if not body:  # nothing a reminder would say (reviewers() has only people with an address)
            continue
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(user=user, day=today)
                email_enqueue(
                    subject=_("Medical reviews for %(day)s") % {"day": today.isoformat()},
                    body=body,
                    to=[user.email],
                    key=f"review-reminder-{user.pk}-{today.isoformat()}",
                )
        except IntegrityError:
            skipped += 1
            continue
        sent += 1
    return sent, skipped

"""`manage.py send_review_reminders`: each medical reviewer's reviews due and drafts waiting, by email.

Run it daily (cron or a systemd timer, docs/EDITORIAL.md). A reviewer gets at most one reminder a
day, however often it runs: each send is recorded in `ReviewReminder` first.
"""

import logging

from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.dashboard import review_work, reviewers
from articles.models import ReviewReminder

logger = logging.getLogger(__name__)


def reminder_text(work):
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


class Command(BaseCommand):
    help = "Email each medical reviewer their reviews due and drafts waiting (once a day)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = skipped = 0
        for user in reviewers():
            work = review_work(user, today=today)
            if not work:
                continue
            try:
                with transaction.atomic():
                    ReviewReminder.objects.create(user=user, day=today)
            except IntegrityError:
                skipped += 1
                continue
            try:
                send_mail(
                    _("Medical reviews for %(day)s") % {"day": today.isoformat()},
                    reminder_text(work),
                    None,
                    [user.email],
                )
            except Exception:
                logger.exception("Could not send the review reminder to %s", user.email)
                ReviewReminder.objects.filter(user=user, day=today).delete()  # try again on the next run
                continue
            sent += 1
        self.stdout.write(f"Review reminders: {sent} sent, {skipped} already sent today.")

"""`manage.py send_review_reminders`: each medical reviewer's reviews due and drafts waiting, by email.

The worker runs it daily (PERIODIC_JOBS["review_reminders"]); running it by hand as well is harmless:
a reviewer gets at most one reminder a day.
"""

from django.core.management.base import BaseCommand

from articles.review_reminders import review_reminders_send


class Command(BaseCommand):
    help = "Email each medical reviewer their reviews due and drafts waiting (once a day)."

    def handle(self, *args, **options):
        sent, skipped = review_reminders_send()
        self.stdout.write(f"Review reminders: {sent} queued, {skipped} already sent today.")

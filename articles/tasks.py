"""The articles' jobs for the worker: scheduled publications and the daily reviewer reminders."""

from django_tasks import task

from articles.review_reminders import review_reminders_send
from articles.scheduling import publish_due_changes


@task()
def publish_scheduled():
    return publish_due_changes()


@task()
def send_review_reminders():
    sent, skipped = review_reminders_send()
    return {"sent": sent, "skipped": skipped}

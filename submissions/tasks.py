"""The submissions' job for the worker: the daily purge of old spam and address hashes."""

from django.core.management import call_command
from django_tasks import task


@task()
def purge_submission_data():
    call_command("purge_submission_data")

"""The nightly backup for the worker: write an archive, then verify it as restore would."""

from django.core.management import call_command
from django_tasks import task

from backups.jobs import backup_create


@task()
def backup_and_verify():
    result = backup_create(output=None, keep=None, using="default")
    call_command("verify_backup", str(result.path))
    return str(result.path)

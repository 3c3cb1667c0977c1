"""The nightly backup for the worker: write an archive, then verify it as restore would."""

from django.conf import settings
from django.core.management import call_command
from django_tasks import task

from backups.jobs import backup_create


@task()
def backup_and_verify():
    """A failure (disk full, an archive that does not restore) fails the job: it shows in the admin."""
    result = backup_create(keep=settings.BACKUP_KEEP)
    call_command("verify_backup", str(result.path))
    return str(result.path)

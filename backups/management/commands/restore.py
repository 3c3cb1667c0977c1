"""Restore an archive made by `backup` into an empty database and media storage, then migrate to
this code's latest schema. Every checksum is checked before anything is changed, and with --force the
archive is first restored into a throw-away copy: nothing is erased for an archive that would not load."""

from django.core.management.base import BaseCommand, CommandError

from backups.archive import ArchiveError
from backups.jobs import backup_restore


def write_report(stdout, result):
    for record in sorted(result.tables.values(), key=lambda record: record["model"]):
        note = " (rebuilt by the database)" if record["built"] else ""
        stdout.write(f"  {record['model']}: {record['rows']:,} rows{note}")
    stdout.write(f"  media files: {result.media_files:,}")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive to restore.")
        parser.add_argument(
            "--force", action="store_true", help="Erase the target database and media files first if they hold data."
        )
        parser.add_argument("--database", default="default", help="Database alias to restore into (default: default).")

    def handle(self, *args, path, force=False, database="default", **options):
        try:
            result = backup_restore(path=path, using=database, force=force)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {path} (made by version {result.version}) in {result.seconds:.1f} s:")
        write_report(self.stdout, result)

"""Restore an archive into a throw-away database and media folder and compare what came back with
its manifest. Exits with an error if anything differs: run it after every backup."""

from django.core.management.base import BaseCommand, CommandError

from backups.archive import ArchiveError
from backups.jobs import backup_verify


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive to verify.")

    def handle(self, *args, path, **options):
        try:
            result = backup_verify(path=path)
        except ArchiveError as error:
            raise CommandError(f"The archive cannot be restored: {error}") from error
        rows = sum(record["rows"] for record in result.restore.tables.values())
        if result.problems:
            raise CommandError(
                f"{path} restored with {len(result.problems)} differences from its manifest:\n  "
                + "\n  ".join(result.problems)
            )
        self.stdout.write(
            f"{path} restores: {rows:,} rows in {len(result.restore.tables)} tables and "
            f"{result.restore.media_files:,} media files match the manifest "
            f"(restore took {result.restore.seconds:.1f} s)."
        )

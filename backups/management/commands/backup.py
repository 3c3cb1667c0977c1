"""Write one archive of the database and media files, read it back to check every checksum, and
only then keep it. Prints the archive's path and size."""

from django.core.management.base import BaseCommand, CommandError

from backups.archive import ArchiveError
from backups.jobs import backup_create


def human_size(size):
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(size)


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Archive file, or folder for a time-stamped one (default: BACKUP_DIR).")
        parser.add_argument(
            "--keep", type=positive, help="Keep only the newest N archives this command made in that folder."
        )
        parser.add_argument("--database", default="default", help="Database alias to back up (default: default).")

    def handle(self, *args, output=None, keep=None, database="default", **options):
        try:
            result = backup_create(output=output, keep=keep, using=database)
        except (ArchiveError, OSError) as error:
            raise CommandError(f"No backup was written: {error}") from error
        rows = sum(table["rows"] for table in result.tables.values())
        self.stdout.write(
            f"Backup written and verified: {result.path} ({human_size(result.size)}; "
            f"{rows:,} rows in {len(result.tables)} tables, {result.media_files:,} media files; "
            f"{result.seconds:.1f} s)."
        )
        for entry in result.pruned:
            self.stdout.write(f"Removed an older archive: {entry}")

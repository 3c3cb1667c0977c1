"""Taking, restoring and verifying a backup of the whole site: the database and the media storage.

The management commands are thin wrappers around these three functions.
"""

import contextlib
import os
import re
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connections, transaction

from backups.archive import MEDIA_PREFIX, MIGRATIONS, PROJECT, ArchiveError, ArchiveWriter, check_archive, sha256_file
from backups.media import clear_media, export_media, import_media, media_names, remove_media
from backups.sealing import MIN_KEY_LENGTH, Sealer
from backups.snapshot import (
    export_database,
    import_database,
    migrate_to,
    rebuild_indexes,
    refuse_newer_schema,
    sqlite_settings,
    temporary_connection,
)

# Live log-ins (replayable as whoever they belong to) and lockout state that expires within hours.
DEFAULT_LEAVE_OUT = ("sessions.Session", "axes.AccessAttempt", "axes.AccessAttemptExpiration")
ARCHIVE_NAME = re.compile(r"^clinic-backup-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.tar$")


class RestoreRefused(ArchiveError):
    """The target holds data, and the operator did not ask to erase it or the archive failed a trial restore."""


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    tables: dict
    media_files: int
    pruned: list = field(default_factory=list)


@dataclass
class RestoreResult:
    tables: dict
    media_files: int
    seconds: float
    version: str


@dataclass
class VerifyResult:
    restore: RestoreResult
    problems: list


def project_version():
    """The `version` of pyproject.toml, recorded in every archive so an operator knows which code made it."""
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as pyproject:
            return tomllib.load(pyproject).get("project", {}).get("version", "unknown")
    except (OSError, AttributeError, tomllib.TOMLDecodeError):
        return "unknown"


def backup_key():
    """BACKUP_KEY, or '' when archives are made and read unkeyed (integrity-checked only)."""
    return getattr(settings, "BACKUP_KEY", "") or ""


def left_out_models():
    """Models whose rows no archive holds: secrets and state that expires (docs/OPERATIONS.md)."""
    return set(getattr(settings, "BACKUP_LEAVE_OUT", DEFAULT_LEAVE_OUT))


def private_folder(folder):
    """Create the folder for owner only; an existing one of ours is narrowed to us, as it will hold archives.

    A folder someone else owns (a shared mount prepared by root) is left as it is; the archives are 0600.
    """
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = folder.stat()
    if status.st_mode & 0o077 and status.st_uid == os.getuid():
        folder.chmod(0o700)
    return folder


def archive_path(output):
    """Where the archive goes: a file path as given, or a new time-stamped name inside a folder."""
    target = Path(output) if output else Path(settings.BACKUP_DIR)
    if output and not str(output).endswith(os.sep) and not target.is_dir():
        if not target.parent.exists():
            private_folder(target.parent)
        return target
    private_folder(target)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path, n = target / f"clinic-backup-{stamp}.tar", 1
    while path.exists():
        n += 1
        path = target / f"clinic-backup-{stamp}-{n}.tar"
    return path


def backup_create(*, output=None, keep=None, using="default", storage=None):
    """Write the archive under a temporary name, read it back and check every member, then rename it.

    An archive under its final name has therefore been verified in full; a failed run leaves none.
    With BACKUP_KEY set, every member is encrypted and the manifest signed.
    """
    started = time.monotonic()
    storage = storage or default_storage
    key = backup_key()
    if key and len(key) < MIN_KEY_LENGTH:
        raise ArchiveError(
            f"BACKUP_KEY is shorter than {MIN_KEY_LENGTH} characters; generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'."
        )
    path = archive_path(output)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)  # left by a run that was killed; the writer creates the file afresh
    writer = ArchiveWriter(partial, sealer=Sealer(key) if key else None)
    try:
        migrations, tables, left_out = export_database(
            writer, connection=connections[using], workdir=path.parent, leave_out=left_out_models()
        )
        media_files = export_media(writer, storage=storage)
        writer.add_json(MIGRATIONS, [list(pair) for pair in migrations])
        writer.add_json(
            PROJECT,
            {
                "version": project_version(),
                "created_at": datetime.now(UTC).isoformat(),
                "database": connections[using].vendor,
                "tables": tables,
                "left_out": left_out,
                "media_files": media_files,
            },
        )
        writer.close()
        checked = check_archive(str(partial), key=key)
        if checked.members != writer.members:
            raise ArchiveError("The archive read back differs from what was written; it was not kept.")
        os.replace(partial, path)
        sync_folder(path.parent)
    except BaseException:
        writer.abort()
        partial.unlink(missing_ok=True)
        raise
    pruned = prune(path.parent, keep) if keep else []
    return BackupResult(path, path.stat().st_size, time.monotonic() - started, tables, media_files, pruned)


def sync_folder(folder):
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def prune(folder, keep):
    """Delete all but the newest `keep` archives this command made in `folder` (matched by name)."""
    archives = []
    for entry in Path(folder).iterdir():
        if (match := ARCHIVE_NAME.match(entry.name)) and entry.is_file():
            archives.append(((match["stamp"], int(match["n"] or 1)), entry))
    archives.sort()
    doomed = [entry for _key, entry in archives[:-keep]]
    for entry in doomed:
        entry.unlink()
    return doomed


def target_contents(connection, storage):
    tables = connection.introspection.table_names()
    return tables, media_names(storage)


@contextlib.contextmanager
def as_default_database(connection):
    """Make the restore target this thread's default database while it is migrated and loaded.

    Some data migrations write through `Model.objects` (the default database) instead of the
    database being migrated; without this, restoring into another database (verify_backup's
    throw-away copy) would add their groups and permissions to the live site's database.
    """
    if connection.alias == "default":
        yield
        return
    original = connections["default"]
    connections["default"] = connection
    try:
        yield
    finally:
        connections["default"] = original


def backup_restore(*, path, using="default", storage=None, force=False):
    """Restore an archive into an empty database and media storage (or erase them first with `force`).

    Every check comes before the first change: the archive's names, entry types, sizes, checksums and
    (with BACKUP_KEY) signature, its schema against the code's migrations, the target's emptiness, and
    before erasing anything with `force`, a full trial restore into a throw-away copy.
    """
    archive = check_archive(str(path), key=backup_key())
    return restore_checked(archive, using=using, storage=storage, force=force)


def restore_checked(archive, *, using="default", storage=None, force=False):
    """Load a checked archive: rows and media files go in together or not at all.

    The rows are loaded in one transaction and the media files written before it commits; any error
    rolls the rows back and deletes the files written so far. On PostgreSQL that transaction also holds
    the erasing and the migrations, so an archive the database refuses leaves the target as it was; a
    media file that fails to write after the old ones were cleared still loses those old files (the
    trial restore has written every one of them once already).
    """
    started = time.monotonic()
    storage = storage or default_storage
    connection = connections[using]
    refuse_newer_schema(archive.migrations, version=archive.project.get("version", "unknown"))
    tables, files = target_contents(connection, storage)
    if (tables or files) and not force:
        raise RestoreRefused(
            f"The target is not empty: the database has {len(tables)} tables and the media storage "
            f"{len(files)} files. Restore into a new, empty database and media location, or pass --force "
            "to erase everything there first."
        )
    if force and (tables or files):
        refuse_unless_restorable(archive)
    load = load_in_one_transaction if connection.vendor == "postgresql" else load_after_erasing
    with as_default_database(connection):
        restored, media_files = load(
            archive, connection=connection, storage=storage, flush=bool(tables), clear=bool(files)
        )
        rebuild_indexes(connection)
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()  # ids cached from before the restore may now name other types
    return RestoreResult(restored, media_files, time.monotonic() - started, archive.project.get("version", "unknown"))


def load_in_one_transaction(archive, *, connection, storage, flush, clear):
    """PostgreSQL runs schema changes in transactions, so erasing, migrating and loading commit together:
    a value it refuses and the SQLite trial accepted (a name longer than its column) leaves the target
    exactly as it was. The old media files are deleted only once the rows are in. This holds while every
    migration can run in a transaction: none sets `atomic = False` (as CREATE INDEX CONCURRENTLY would need)."""
    written, media_cleared = [], False
    try:
        with transaction.atomic(using=connection.alias), archive.open() as tar:
            if flush:
                call_command(
                    "flush", database=connection.alias, interactive=False, inhibit_post_migrate=True, verbosity=0
                )
            migrate_to(connection, archive.migrations)
            restored = import_database(archive, tar, connection=connection)
            call_command("migrate", database=connection.alias, interactive=False, verbosity=0)
            if clear:
                media_cleared = True
                clear_media(storage)
            media_files = import_media(archive, tar, storage=storage, written=written)
    except ArchiveError as error:
        remove_media(storage, written)
        if (flush or clear) and not media_cleared:
            raise RestoreRefused(
                f"Nothing was erased: the database refused the archive and the site was left as it was. {error}"
            ) from error
        raise
    except BaseException:
        remove_media(storage, written)
        raise
    return restored, media_files


def load_after_erasing(archive, *, connection, storage, flush, clear):
    """SQLite's schema editor cannot run inside an outer transaction, so the erasing and the migrations
    commit on their own; the trial restore into SQLite has already shown the rows load."""
    if flush:
        call_command("flush", database=connection.alias, interactive=False, inhibit_post_migrate=True, verbosity=0)
    if clear:
        clear_media(storage)
    migrate_to(connection, archive.migrations)
    written = []
    try:
        with transaction.atomic(using=connection.alias), archive.open() as tar:
            restored = import_database(archive, tar, connection=connection)
            media_files = import_media(archive, tar, storage=storage, written=written)
    except BaseException:
        remove_media(storage, written)
        raise
    call_command("migrate", database=connection.alias, interactive=False, verbosity=0)
    return restored, media_files


def refuse_unless_restorable(archive):
    """Checksums recomputed over a crafted or half-broken archive pass every check, yet its rows may break
    a constraint once loaded: the erased site would then stay empty. A trial restore finds that first."""
    try:
        trial = restore_trial(archive)
    except ArchiveError as error:
        raise RestoreRefused(
            f"Nothing was erased: the archive failed a trial restore into a throw-away database. {error}"
        ) from error
    if trial.problems:
        raise RestoreRefused(
            "Nothing was erased: a trial restore into a throw-away database differs from the archive. "
            + " ".join(trial.problems)
        )


def backup_verify(*, path):
    """Check the archive, then restore it into a throw-away copy and compare with the manifest."""
    return restore_trial(check_archive(str(path), key=backup_key()))


def restore_trial(archive):
    """Restore a checked archive into a throw-away SQLite database and media folder; list what differs."""
    with tempfile.TemporaryDirectory(prefix="clinic-verify-") as folder:
        storage = FileSystemStorage(location=os.path.join(folder, "media"))
        with temporary_connection(sqlite_settings(os.path.join(folder, "db.sqlite3"))) as connection:
            restored = restore_checked(archive, using=connection.alias, storage=storage)
        problems = []
        for table, record in archive.tables.items():
            got = restored.tables.get(table, {}).get("rows")
            if got != record["rows"]:
                problems.append(f"{record['model']}: {record['rows']} rows in the archive, {got} restored.")
        names = set(media_names(storage))
        for name in archive.media_names():
            if name not in names:
                problems.append(f"Media file {name} was not restored.")
                continue
            with storage.open(name, "rb") as restored_file:
                digest, _size = sha256_file(restored_file)
            if digest != archive.content_sha256(MEDIA_PREFIX + name):
                problems.append(f"Media file {name} differs from the archive after restoring.")
    return VerifyResult(restored, problems)

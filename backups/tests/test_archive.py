"""A damaged archive is refused with a message of its own, before the target is touched."""

import json
import tarfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from backups.archive import MIGRATIONS, ArchiveError, ArchiveWriter
from backups.jobs import RestoreRefused, backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(tmp_path):
    default_storage.save("clinicians/portrait.jpg", ContentFile(b"\xff\xd8 a portrait " * 100))
    default_storage.save("notes.txt", ContentFile("Clinic notes ✓".encode()))
    return backup_create(output=tmp_path / "site.tar").path


def rewrite(source, target, *, replace):
    """Copy an archive member by member, changing some, under a fresh manifest (as a newer site would write it)."""
    with tarfile.open(source) as tar:
        writer = ArchiveWriter(target)
        for member in tar:
            if not member.name.startswith("manifest"):
                data = tar.extractfile(member).read()
                writer.add_bytes(member.name, replace[member.name](data) if member.name in replace else data)
        writer.close()
    return target


def without(source, target, name):
    """Copy an archive leaving one member out, manifest and all, as a lost block of a copy would."""
    with tarfile.open(source) as tar, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as copy:
        for member in tar:
            if member.name != name:
                copy.addfile(member, tar.extractfile(member))
    return target


def truncated(path, tmp_path):
    damaged = tmp_path / "truncated.tar"
    data = path.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    return damaged


def flipped(path, tmp_path):
    damaged = tmp_path / "flipped.tar"
    data = bytearray(path.read_bytes())
    with tarfile.open(path) as tar:
        member = tar.getmember("database/auth_permission.jsonl.gz")
    data[member.offset_data + member.size // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    return damaged


def missing_member(path, tmp_path):
    return without(path, tmp_path / "missing.tar", "database/auth_group.jsonl.gz")


def newer_schema(path, tmp_path):
    def add_future_migration(data):
        return json.dumps([*json.loads(data), ["articles", "9999_from_the_future"]]).encode()

    return rewrite(path, tmp_path / "newer.tar", replace={MIGRATIONS: add_future_migration})


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncated, "is incomplete: it ends before its last member"),
        (flipped, "is damaged: the member database/auth_permission.jsonl.gz does not match its checksum"),
        (missing_member, "is missing 1 of its"),
        (newer_schema, "comes from a newer version of the site (version 1.0.0)"),
    ],
    ids=["truncated", "flipped-byte", "missing-member", "newer-schema"],
)
def test_a_damaged_archive_is_refused_with_its_own_message_and_the_target_untouched(
    archive, tmp_path, empty_database, empty_media, damage, message
):
    damaged = damage(archive, tmp_path)
    with pytest.raises(CommandError) as refused:
        call_command("verify_backup", str(damaged))
    assert message in str(refused.value)
    with pytest.raises(ArchiveError) as refused:
        backup_restore(path=damaged, using=empty_database.alias, storage=empty_media)
    assert message in str(refused.value)
    assert empty_database.introspection.table_names() == []
    assert not empty_media.exists("")


def test_a_database_with_tables_is_not_overwritten_without_force(archive, empty_media):
    with pytest.raises(RestoreRefused, match="The target is not empty.*pass --force"):
        backup_restore(path=archive, storage=empty_media)


def test_an_archive_that_fails_to_write_leaves_no_file(tmp_path, monkeypatch):
    def broken_disk(writer, *, storage):
        raise OSError("No space left on device")

    monkeypatch.setattr("backups.jobs.export_media", broken_disk)
    with pytest.raises(CommandError, match="No backup was written: No space left on device"):
        call_command("backup", output=str(tmp_path) + "/")
    assert list(tmp_path.iterdir()) == []


def test_keep_prunes_only_older_archives_this_command_made(tmp_path, capsys):
    (tmp_path / "clinic-backup-20200101T000000Z.tar").write_bytes(b"old")
    (tmp_path / "clinic-backup-20200102T000000Z.tar").write_bytes(b"older than today")
    (tmp_path / "keep-me.tar").write_bytes(b"someone else's file")
    call_command("backup", output=str(tmp_path) + "/", keep=2)
    names = sorted(entry.name for entry in tmp_path.iterdir())
    assert len(names) == 3
    assert "keep-me.tar" in names
    assert "clinic-backup-20200102T000000Z.tar" in names
    assert "clinic-backup-20200101T000000Z.tar" not in names
    out = capsys.readouterr().out
    assert "Backup written and verified:" in out
    assert "Removed an older archive:" in out


def test_verifying_an_archive_leaves_the_live_database_as_it_was(tmp_path):
    """The throw-away restore runs data migrations that write to the default database; they must not reach this one."""
    Group.objects.all().delete()
    Permission.objects.all().delete()
    archive = backup_create(output=tmp_path / "site.tar").path
    call_command("verify_backup", str(archive))
    assert not Group.objects.exists()
    assert not Permission.objects.exists()

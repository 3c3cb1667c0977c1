"""A crafted archive whose manifest checks out is refused before anything is written, with a message
and no traceback, and the site it was meant to overwrite keeps every row and every file."""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backups.archive import ArchiveError
from backups.jobs import backup_create, backup_restore
from backups.media import media_names
from backups.tests.databases import every_model, holds_rows, rows

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KEY = "a-backup-key-of-forty-three-characters-xyz"


def entry(name, data=b"", kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size, info.mode = kind, linkname, len(data) if kind == tarfile.REGTYPE else 0, 0o600
    return info, data


def members_of(archive):
    with tarfile.open(archive) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


def written(target, members):
    """An archive of these members as they are: no manifest is made anew."""
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as copy:
        for name, data in members.items():
            info, data = entry(name, data)
            copy.addfile(info, io.BytesIO(data))
    return target


def craft(source, target, *, replace=None, add=(), unpacked=None, edit_members=None):
    """Rewrite an archive with some members changed or added, under a fresh unkeyed manifest that checks out:
    what anyone who can write to the archive's folder can do (`edit_members` rewrites the manifest's list)."""
    replace, unpacked, edit_members = replace or {}, unpacked or {}, edit_members or (lambda listed: listed)
    entries = []
    with tarfile.open(source) as tar:
        for member in tar:
            if member.name.startswith("manifest"):
                continue
            data = tar.extractfile(member).read()
            entries.append(entry(member.name, replace[member.name](data) if member.name in replace else data))
    entries.extend(add)
    members = {}
    for info, data in entries:
        members[info.name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        if info.name in unpacked:
            members[info.name]["unpacked"] = unpacked[info.name]
    manifest = json.dumps({"format": 1, "members": edit_members(members)}).encode()
    entries.append(entry("manifest.json", manifest))
    entries.append(entry("manifest.sha256", hashlib.sha256(manifest).hexdigest().encode()))
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as copy:
        for info, data in entries:
            copy.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
    return target


def gzip_bomb(megabytes):
    """A small gzip member that inflates to `megabytes` of one endless line."""
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=9, mtime=0) as bomb:
        block = b"\0" * (1024 * 1024)
        for _ in range(megabytes):
            bomb.write(block)
    return packed.getvalue()


@pytest.fixture
def site(tmp_path):
    """A live site with rows and media, and an archive of it made before an editor's later work."""
    default_storage.save("articles/hero.jpg", ContentFile(b"\xff\xd8 the hero image"))
    archive = backup_create(output=tmp_path / "site.tar").path
    Group.objects.create(name="Written after the backup")
    default_storage.save("notes/after.txt", ContentFile(b"written after the backup"))
    return archive


def site_state():
    return {model._meta.label: rows(model, "default") for model in every_model()}, {
        name: default_storage.open(name).read() for name in media_names(default_storage)
    }


def refused_leaving_the_site_as_it_was(crafted, message):
    before = site_state()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(crafted), force=True)
    with pytest.raises(CommandError, match=message):
        call_command("verify_backup", str(crafted))
    assert site_state() == before
    assert not Path(default_storage.location).parent.joinpath("escaped.txt").exists()


def traversal(archive, tmp_path):
    return craft(archive, tmp_path / "crafted.tar", add=[entry("media/../../escaped.txt", b"outside")])


def absolute(archive, tmp_path):
    return craft(archive, tmp_path / "crafted.tar", add=[entry(f"media/{tmp_path}/escaped.txt", b"outside")])


def backslash(archive, tmp_path):
    return craft(archive, tmp_path / "crafted.tar", add=[entry("media/..\\..\\escaped.txt", b"outside")])


def symlink(archive, tmp_path):
    return craft(
        archive, tmp_path / "crafted.tar", add=[entry("media/passwd", kind=tarfile.SYMTYPE, linkname="/etc/passwd")]
    )


def hardlink(archive, tmp_path):
    return craft(
        archive, tmp_path / "crafted.tar", add=[entry("media/hosts", kind=tarfile.LNKTYPE, linkname="/etc/hosts")]
    )


def unlisted_kind(archive, tmp_path):
    return craft(archive, tmp_path / "crafted.tar", add=[entry("settings.py", b"DEBUG = True")])


@pytest.mark.parametrize(
    ("crafted", "message"),
    [
        (traversal, r"'media/\.\./\.\./escaped\.txt' that cannot be restored \(it climbs out of its folder"),
        (absolute, r"that cannot be restored \(it is an absolute path\)"),
        (backslash, r"that cannot be restored \(it holds a backslash\)"),
        (symlink, r"holds a symbolic link 'media/passwd'; only regular files are restored"),
        (hardlink, r"holds a hard link 'media/hosts'; only regular files are restored"),
        (unlisted_kind, r"'settings\.py' that cannot be restored \(it is neither a table nor a media file\)"),
    ],
    ids=["dot-dot", "absolute", "backslash", "symlink", "hardlink", "neither-table-nor-media"],
)
def test_a_crafted_media_entry_is_refused_before_the_site_is_touched(site, tmp_path, crafted, message):
    refused_leaving_the_site_as_it_was(crafted(site, tmp_path), message)


def test_a_gzip_bomb_is_refused_before_the_site_is_touched(site, tmp_path):
    crafted = craft(site, tmp_path / "bomb.tar", replace={"database/auth_group.jsonl.gz": lambda _data: gzip_bomb(40)})
    refused_leaving_the_site_as_it_was(crafted, r"database/auth_group\.jsonl\.gz holds a row over 16 MB")


def test_a_member_inflating_past_its_declared_size_is_refused(site, tmp_path, empty_database, empty_media):
    def one_more_group(data):
        lines = gzip.decompress(data) + b'[99, "Planted"]\n'
        return gzip.compress(lines)

    with tarfile.open(site) as tar:
        declared = len(gzip.decompress(tar.extractfile("database/auth_group.jsonl.gz").read()))
    crafted = craft(
        site,
        tmp_path / "inflated.tar",
        replace={"database/auth_group.jsonl.gz": one_more_group},
        unpacked={"database/auth_group.jsonl.gz": declared},
    )
    with pytest.raises(ArchiveError, match="auth_group.jsonl.gz inflates beyond the size its manifest declares"):
        backup_restore(path=crafted, using=empty_database.alias, storage=empty_media)
    assert empty_database.introspection.table_names() == []
    assert not empty_media.exists("")


def peak_memory_of(command):
    """Run a command as the only child of a fresh interpreter; returns (result, its peak resident memory in MB)."""
    parent = (
        "import json, resource, subprocess, sys\n"
        "result = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([result.returncode, result.stderr, peak]))\n"
    )
    measured = subprocess.run(
        [sys.executable, "-c", parent, *command],
        cwd=PROJECT_ROOT,
        env={**os.environ, "BACKUP_KEY": ""},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    returncode, stderr, peak_kb = json.loads(measured.stdout)
    return returncode, stderr, peak_kb / 1024


def test_verifying_a_gzip_bomb_stays_within_200_mb_of_memory(site, tmp_path):
    """400 MB of one line packed into about 400 KB; the same command on the honest archive is the baseline."""
    bomb = gzip_bomb(400)
    assert len(bomb) < 1024 * 1024
    crafted = craft(site, tmp_path / "bomb.tar", replace={"database/auth_group.jsonl.gz": lambda _data: bomb})
    _returncode, _stderr, baseline = peak_memory_of([sys.executable, "manage.py", "verify_backup", str(site)])
    returncode, stderr, peak = peak_memory_of([sys.executable, "manage.py", "verify_backup", str(crafted)])
    assert returncode != 0
    assert "holds a row over 16 MB" in stderr
    assert "Traceback" not in stderr
    assert peak < 200, f"verify_backup of the bomb peaked at {peak:.0f} MB (an honest archive: {baseline:.0f} MB)"
    assert peak - baseline < 100, f"the bomb cost {peak - baseline:.0f} MB more than an honest archive"


def plant_superuser(data):
    """The auth_user member with one more row: a superuser whose password the attacker knows."""
    lines = gzip.decompress(data).decode().splitlines()
    columns = json.loads(lines[0])["columns"]
    values = {
        "id": 4242,
        "password": "pbkdf2_sha256$1000000$planted$" + "A" * 43 + "=",
        "last_login": None,
        "is_superuser": True,
        "username": "planted-admin",
        "first_name": "",
        "last_name": "",
        "email": "attacker@example.net",
        "is_staff": True,
        "is_active": True,
        "date_joined": "2026-01-01T00:00:00+00:00",
    }
    lines.append(json.dumps([values[column] for column in columns]))
    return gzip.compress(("\n".join(lines) + "\n").encode())


def planted_project(data):
    project = json.loads(data)
    project["tables"]["auth_user"]["rows"] += 1
    return json.dumps(project).encode()


def test_a_planted_superuser_with_a_valid_unkeyed_checksum_is_refused_when_a_key_is_set(site, tmp_path, settings):
    crafted = craft(
        site,
        tmp_path / "planted.tar",
        replace={"database/auth_user.jsonl.gz": plant_superuser, "project.json": planted_project},
    )
    settings.BACKUP_KEY = KEY
    refused_leaving_the_site_as_it_was(crafted, "it is not signed, and BACKUP_KEY is set")
    assert not get_user_model().objects.filter(username="planted-admin").exists()


def test_a_planted_row_in_a_keyed_archive_is_refused_before_the_site_is_touched(tmp_path, settings):
    """The attacker rewrites a member and recomputes its checksum, but cannot sign the manifest."""
    settings.BACKUP_KEY = KEY
    get_user_model().objects.create_user("editor", "editor@example.org", "a long passphrase")
    members = members_of(backup_create(output=tmp_path / "keyed.tar").path)
    manifest = json.loads(members["manifest.json"])
    planted = b"not the rows that were sealed"
    manifest["members"]["database/auth_user.jsonl.gz"].update(
        sha256=hashlib.sha256(planted).hexdigest(), size=len(planted)
    )
    members["database/auth_user.jsonl.gz"] = planted
    members["manifest.json"] = json.dumps(manifest).encode()
    crafted = written(tmp_path / "edited.tar", members)
    refused_leaving_the_site_as_it_was(crafted, "its manifest's signature does not match BACKUP_KEY")


def test_a_media_file_that_fails_to_restore_leaves_no_rows_and_no_files(
    tmp_path, empty_database, empty_media, monkeypatch
):
    get_user_model().objects.create_user("editor", "editor@example.org", "a long passphrase")
    default_storage.save("articles/first.jpg", ContentFile(b"first"))
    default_storage.save("articles/second.jpg", ContentFile(b"second"))
    archive = backup_create(output=tmp_path / "site.tar").path
    real_save = empty_media.save

    def full_disk_at_the_second_file(name, content, **kwargs):
        if name == "articles/second.jpg":
            raise OSError("No space left on device")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(empty_media, "save", full_disk_at_the_second_file)
    with pytest.raises(OSError, match="No space left on device"):
        backup_restore(path=archive, using=empty_database.alias, storage=empty_media)
    assert media_names(empty_media) == []
    assert not holds_rows(get_user_model(), empty_database)


def with_rows(table, *added, header=None):
    """Replacements for `craft`: rows added to a table's member (each a dict by column, or a raw list),
    or its first line replaced, with the project record counting the added rows so every check passes."""
    member = f"database/{table}.jsonl.gz"

    def change_rows(data):
        lines = gzip.decompress(data).decode().splitlines()
        columns = json.loads(lines[0])["columns"]
        if header is not None:
            lines[0] = json.dumps(header)
        lines.extend(
            json.dumps([row.get(column) for column in columns] if isinstance(row, dict) else row) for row in added
        )
        return gzip.compress(("\n".join(lines) + "\n").encode())

    def count_rows(data):
        project = json.loads(data)
        project["tables"][table]["rows"] += len(added)
        return json.dumps(project).encode()

    return {member: change_rows, "project.json": count_rows}


ROWS_THAT_DO_NOT_LOAD = {
    "dangling-foreign-key": (
        with_rows("auth_user_groups", {"id": 1, "user_id": 4242, "group_id": 4242}),
        r"The archive's rows do not fit together",
    ),
    "duplicate-primary-key": (
        with_rows("auth_group", {"id": 77, "name": "Front desk"}, {"id": 77, "name": "Nurses"}),
        r"The rows of auth_group cannot be written",
    ),
    "empty-required-column": (
        with_rows("auth_group", {"id": 78, "name": None}),
        r"The rows of auth_group cannot be written",
    ),
    "other-columns": (
        with_rows("auth_group", header={"columns": ["id", "title"]}),
        r"The archived columns of auth_group do not match",
    ),
    "columns-not-an-object": (
        with_rows("auth_group", header=["id", "name"]),
        r"The archived columns of auth_group cannot be read",
    ),
    "columns-not-named": (
        with_rows("auth_group", header={"names": ["id", "name"]}),
        r"The archived columns of auth_group cannot be read",
    ),
    "row-of-the-wrong-length": (with_rows("auth_group", [79]), r"A row of auth_group cannot be read"),
}


@pytest.mark.parametrize("case", list(ROWS_THAT_DO_NOT_LOAD))
def test_verifying_an_archive_whose_rows_do_not_load_says_which_table(site, tmp_path, case):
    """Its checksums are recomputed, so only loading the rows shows the problem."""
    changes, message = ROWS_THAT_DO_NOT_LOAD[case]
    crafted = craft(site, tmp_path / "crafted.tar", replace=changes)
    with pytest.raises(CommandError, match=message):
        call_command("verify_backup", str(crafted))


# One case the database refuses, one the restore cannot read: `restore --force` loads the rows into a
# trial copy first, whatever stops them, as `verify_backup` does for every case above.
@pytest.mark.parametrize("case", ["duplicate-primary-key", "row-of-the-wrong-length"])
def test_restoring_with_force_an_archive_whose_rows_do_not_load_erases_nothing(site, tmp_path, case):
    changes, message = ROWS_THAT_DO_NOT_LOAD[case]
    crafted = craft(site, tmp_path / "crafted.tar", replace=changes)
    before = site_state()
    with pytest.raises(CommandError, match=f"Nothing was erased: .*{message}"):
        call_command("restore", str(crafted), force=True)
    assert site_state() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce a column's length")
def test_restoring_with_force_rows_only_postgresql_refuses_leaves_the_site_as_it_was(site, tmp_path):
    """The trial restore into SQLite accepts a name too long for its column; PostgreSQL refuses it after
    the site was flushed, and rolls the flush back with the rows."""
    crafted = craft(site, tmp_path / "crafted.tar", replace=with_rows("auth_group", {"id": 77, "name": "N" * 200}))
    get_user_model().objects.create_user("editor", "editor@example.org", "a long passphrase")
    before = site_state()
    with pytest.raises(CommandError, match=r"Nothing was erased: .*The rows of auth_group cannot be written"):
        call_command("restore", str(crafted), force=True)
    assert site_state() == before


def test_rows_that_break_a_constraint_are_refused_naming_their_table(site, tmp_path, empty_database, empty_media):
    crafted = craft(
        site,
        tmp_path / "crafted.tar",
        replace=with_rows("auth_group", {"id": 77, "name": "Front desk"}, {"id": 77, "name": "Nurses"}),
    )
    with pytest.raises(ArchiveError, match="The rows of auth_group cannot be written, so nothing was restored"):
        backup_restore(path=crafted, using=empty_database.alias, storage=empty_media)
    assert not holds_rows(Group, empty_database, name__in=["Front desk", "Nurses"])
    assert media_names(empty_media) == []


def edited_project(change):
    def edit(data):
        project = json.loads(data)
        return json.dumps(change(project)).encode()

    return edit


def project_of(value):
    return {"project.json": lambda _data: json.dumps(value).encode()}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (project_of(["tables"]), "its project record cannot be read"),
        (project_of({"version": "1.0.0"}), "its project record cannot be read"),
        (
            {"project.json": edited_project(lambda project: {**project, "tables": []})},
            "its project record cannot be read",
        ),
        (
            {"project.json": edited_project(lambda project: {**project, "tables": {"auth_group": 3}})},
            "its project record cannot be read",
        ),
        (
            {"project.json": edited_project(lambda project: {**project, "left_out": 5})},
            "its project record cannot be read",
        ),
        (
            {"migrations.json": lambda _data: b'[["auth", "0001_initial", "extra"]]'},
            "its project record cannot be read",
        ),
    ],
    ids=[
        "project-not-an-object",
        "project-without-tables",
        "tables-not-an-object",
        "table-record-not-an-object",
        "left-out-not-a-list",
        "migrations-not-pairs",
    ],
)
def test_a_project_record_of_the_wrong_shape_is_refused_before_the_site_is_touched(site, tmp_path, changes, message):
    refused_leaving_the_site_as_it_was(craft(site, tmp_path / "crafted.tar", replace=changes), message)


def test_a_manifest_entry_of_the_wrong_shape_is_refused_before_the_site_is_touched(site, tmp_path):
    crafted = craft(site, tmp_path / "crafted.tar", edit_members=lambda listed: {**listed, "project.json": ["a", 1]})
    refused_leaving_the_site_as_it_was(crafted, "its manifest cannot be read")


def test_an_unpacked_size_that_is_not_a_number_is_refused_before_the_site_is_touched(site, tmp_path):
    crafted = craft(site, tmp_path / "crafted.tar", unpacked={"database/auth_group.jsonl.gz": "a lot"})
    refused_leaving_the_site_as_it_was(crafted, "its manifest cannot be read")


def resealed(tmp_path, *, header=None, signature=None):
    """A keyed archive with its manifest's encryption header or its signature replaced."""
    members = members_of(backup_create(output=tmp_path / "keyed.tar").path)
    if header is not None:
        manifest = json.loads(members["manifest.json"])
        manifest["sealed"] = header
        members["manifest.json"] = json.dumps(manifest).encode()
    if signature is not None:
        members["manifest.hmac"] = signature
    return written(tmp_path / "resealed.tar", members)


@pytest.mark.parametrize("key_set", [True, False], ids=["key-set", "no-key"])
@pytest.mark.parametrize("header", ["AES", ["AES-256-GCM"]], ids=["text", "list"])
def test_an_encryption_header_of_the_wrong_shape_is_refused_before_the_site_is_touched(
    site, tmp_path, settings, header, key_set
):
    settings.BACKUP_KEY = KEY
    crafted = resealed(tmp_path, header=header)
    settings.BACKUP_KEY = KEY if key_set else ""
    refused_leaving_the_site_as_it_was(crafted, "its encryption header cannot be read")


def test_a_signature_that_is_not_ascii_is_refused_before_the_site_is_touched(site, tmp_path, settings):
    settings.BACKUP_KEY = KEY
    crafted = resealed(tmp_path, signature="é".encode() * 32)
    refused_leaving_the_site_as_it_was(crafted, "its manifest's signature does not match BACKUP_KEY")

"""The backup archive: one uncompressed tar whose members are checksummed in a manifest.

Layout:
    project.json            project version, database vendor, creation time, rows per table
    migrations.json         the applied migrations, as [app_label, name] pairs
    database/<table>.jsonl.gz   one member per table, one JSON object per row
    media/<name>            every file of the media storage, byte for byte
    manifest.json           SHA-256 and size of every member above
    manifest.sha256         SHA-256 of manifest.json

The tar itself is not compressed (table members are, one by one), so a flipped byte lands in one
member and its checksum names it, and a reader can check every member before it touches anything.
"""

import hashlib
import json
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass, field

FORMAT = 1
PROJECT = "project.json"
MIGRATIONS = "migrations.json"
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be used; the message says why in words an operator can act on."""


class ArchiveIncomplete(ArchiveError):
    pass


class ArchiveDamaged(ArchiveError):
    pass


class ArchiveMissingMember(ArchiveError):
    pass


class ArchiveFromNewerSchema(ArchiveError):
    pass


def table_member(table):
    return f"{DATABASE_PREFIX}{table}.jsonl.gz"


def sha256_file(fileobj):
    digest, size = hashlib.sha256(), 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class ArchiveWriter:
    """Adds members to a tar one at a time, remembering each one's checksum for the manifest."""

    def __init__(self, path):
        self.path = path
        self.members = {}
        self._tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115 (closed in close())

    def add_file(self, name, fileobj):
        """Copy a seekable file into the archive; its checksum is computed on the bytes stored."""
        fileobj.seek(0)
        digest, size = sha256_file(fileobj)
        fileobj.seek(0)
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o644
        self._tar.addfile(info, fileobj)
        self.members[name] = {"sha256": digest, "size": size}

    def add_bytes(self, name, data):
        with tempfile.SpooledTemporaryFile(max_size=CHUNK) as buffer:
            buffer.write(data)
            self.add_file(name, buffer)

    def add_json(self, name, value):
        self.add_bytes(name, json.dumps(value, indent=1, sort_keys=True).encode())

    def close(self):
        """Write the manifest and its digest last, then flush the file to disk."""
        manifest = json.dumps({"format": FORMAT, "members": self.members}, indent=1, sort_keys=True).encode()
        self.add_bytes(MANIFEST, manifest)
        self.add_bytes(MANIFEST_DIGEST, hashlib.sha256(manifest).hexdigest().encode())
        for name in (MANIFEST, MANIFEST_DIGEST):
            del self.members[name]
        self._tar.close()
        with open(self.path, "rb+") as written:
            os.fsync(written.fileno())

    def abort(self):
        self._tar.close()


@dataclass
class CheckedArchive:
    """What a fully checked archive holds: its project record, migrations and member checksums."""

    path: str
    project: dict
    migrations: list
    members: dict = field(default_factory=dict)

    @property
    def tables(self):
        return self.project["tables"]

    def media_names(self):
        return [name[len(MEDIA_PREFIX) :] for name in self.members if name.startswith(MEDIA_PREFIX)]

    def open(self):
        return tarfile.open(self.path, "r:")  # noqa: SIM115 (the caller closes it)


def check_archive(path):
    """Read every member once and compare it with the manifest; raise an ArchiveError if anything is off.

    Nothing is restored from an archive that has not passed this check, so a damaged copy is refused
    before the target database or media storage is touched.
    """
    if not os.path.isfile(path):
        raise ArchiveError(f"There is no backup archive at {path}.")
    seen, small = {}, {}
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                if not member.isfile():
                    raise ArchiveDamaged(
                        f"The archive {path} is damaged: it holds an unexpected entry {member.name!r}."
                    )
                stream = tar.extractfile(member)
                if member.name in (PROJECT, MIGRATIONS, MANIFEST, MANIFEST_DIGEST):
                    data = stream.read()
                    small[member.name] = data
                    seen[member.name] = (hashlib.sha256(data).hexdigest(), len(data))
                else:
                    seen[member.name] = sha256_file(stream)
                if seen[member.name][1] != member.size:
                    raise ArchiveIncomplete(_incomplete(path))
            end_offset = tar.offset
    except tarfile.ReadError as error:
        if "unexpected end" in str(error) or "empty file" in str(error):
            raise ArchiveIncomplete(_incomplete(path)) from error
        raise ArchiveDamaged(f"The archive {path} is damaged: it cannot be read as a backup ({error}).") from error
    except EOFError as error:
        raise ArchiveIncomplete(_incomplete(path)) from error

    if MANIFEST not in small or MANIFEST_DIGEST not in small:
        if end_offset >= os.path.getsize(path) or os.path.getsize(path) % tarfile.BLOCKSIZE:
            raise ArchiveIncomplete(_incomplete(path))
        raise ArchiveDamaged(f"The archive {path} is damaged: its manifest cannot be found.")
    if hashlib.sha256(small[MANIFEST]).hexdigest() != small[MANIFEST_DIGEST].decode(errors="replace").strip():
        raise ArchiveDamaged(f"The archive {path} is damaged: its manifest does not match its checksum.")
    manifest = json.loads(small[MANIFEST])
    if manifest.get("format") != FORMAT:
        raise ArchiveDamaged(
            f"The archive {path} has format {manifest.get('format')}; this site reads format {FORMAT}."
        )
    expected = manifest["members"]

    missing = sorted(set(expected) - set(seen))
    if missing:
        listed = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise ArchiveMissingMember(
            f"The archive {path} is missing {len(missing)} of its {len(expected)} members ({listed}); "
            "it cannot be restored. Use another copy."
        )
    for name, record in expected.items():
        if seen[name] != (record["sha256"], record["size"]):
            raise ArchiveDamaged(
                f"The archive {path} is damaged: the member {name} does not match its checksum. Use another copy."
            )
    extra = sorted(set(seen) - set(expected) - {MANIFEST, MANIFEST_DIGEST})
    if extra:
        raise ArchiveDamaged(
            f"The archive {path} is damaged: it holds members its manifest does not list ({extra[0]})."
        )
    project = json.loads(small[PROJECT])
    unlisted = sorted(table for table in project["tables"] if table_member(table) not in expected)
    if unlisted:
        raise ArchiveMissingMember(
            f"The archive {path} is missing the rows of {len(unlisted)} tables ({unlisted[0]}); "
            "it cannot be restored. Use another copy."
        )
    return CheckedArchive(
        path=path,
        project=project,
        migrations=[tuple(pair) for pair in json.loads(small[MIGRATIONS])],
        members=expected,
    )


def _incomplete(path):
    return (
        f"The archive {path} is incomplete: it ends before its last member "
        "(the copy was probably cut short). Use another copy."
    )

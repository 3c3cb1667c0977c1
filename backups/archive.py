"""The backup archive: one uncompressed tar whose members are checksummed in a manifest.

Layout:
    project.json            project version, database vendor, creation time, rows per table
    migrations.json         the applied migrations, as [app_label, name] pairs
    database/<table>.jsonl.gz   one member per table, one JSON object per row
    media/<name>            every file of the media storage, byte for byte
    manifest.json           SHA-256 and size of every member above (and the unpacked size of each table)
    manifest.sha256         SHA-256 of manifest.json (format 1: integrity only, anyone can recompute it)
    manifest.hmac           HMAC-SHA256 of manifest.json under BACKUP_KEY (format 2: every member sealed)

The tar itself is not compressed (table members are, one by one), so a flipped byte lands in one
member and its checksum names it, and a reader can check every member before it touches anything.
`check_archive` is the one gate: names, entry types, sizes, the manifest's digest or signature,
every member's checksum and every table's unpacked size are checked before a restore writes a byte.
"""

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import time
from dataclasses import dataclass, field

from backups.sealing import Sealer, SealError, key_id

FORMAT = 1
SEALED_FORMAT = 2
PROJECT = "project.json"
MIGRATIONS = "migrations.json"
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
MANIFEST_SIGNATURE = "manifest.hmac"
SMALL_MEMBERS = (PROJECT, MIGRATIONS)
MANIFEST_MEMBERS = (MANIFEST, MANIFEST_DIGEST, MANIFEST_SIGNATURE)
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
# Bounds on what a reader holds in memory at once, whatever an archive declares.
MAX_SMALL_MEMBER = 64 * 1024 * 1024
MAX_ROW_BYTES = 16 * 1024 * 1024
MAX_NAME_LENGTH = 1024
TABLE_MEMBER = re.compile(r"^database/(?P<table>[A-Za-z0-9_]{1,128})\.jsonl\.gz$")
DRIVE = re.compile(r"^[A-Za-z]:")


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


class ArchiveNotTrusted(ArchiveError):
    """The archive's signature is missing or wrong for BACKUP_KEY, or it is sealed and no key is set."""


def table_member(table):
    return f"{DATABASE_PREFIX}{table}.jsonl.gz"


def sha256_file(fileobj):
    digest, size = hashlib.sha256(), 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def unsafe_media_name(name):
    """Why a media name could land outside the media storage, or '' when it is a plain relative path."""
    if not name:
        return "it is empty"
    if len(name) > MAX_NAME_LENGTH:
        return "it is too long"
    if "\\" in name:
        return "it holds a backslash"
    if any(ord(character) < 32 or ord(character) == 127 for character in name):
        return "it holds a control character"
    if name.startswith("/") or DRIVE.match(name):
        return "it is an absolute path"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "it climbs out of its folder or has an empty part"
    return ""


def refuse_unsafe_name(path, name):
    if name in (*SMALL_MEMBERS, *MANIFEST_MEMBERS) or TABLE_MEMBER.match(name):
        return
    if name.startswith(MEDIA_PREFIX):
        reason = unsafe_media_name(name[len(MEDIA_PREFIX) :])
        if not reason:
            return
    else:
        reason = "it is neither a table nor a media file"
    raise ArchiveDamaged(
        f"The archive {path} is refused: it holds an entry {name!r} that cannot be restored ({reason})."
    )


def entry_kind(member):
    kinds = {
        tarfile.SYMTYPE: "symbolic link",
        tarfile.LNKTYPE: "hard link",
        tarfile.DIRTYPE: "folder",
        tarfile.CHRTYPE: "device",
        tarfile.BLKTYPE: "device",
        tarfile.FIFOTYPE: "pipe",
    }
    return kinds.get(member.type, "special entry")


class ArchiveWriter:
    """Adds members to a tar one at a time, remembering each one's checksum for the manifest.

    The file is created readable by its owner only: it holds password hashes and e-mail addresses.
    With a `sealer`, every member is encrypted and the manifest signed (see `backups.sealing`).
    """

    def __init__(self, path, *, sealer=None):
        self.path = path
        self.sealer = sealer
        self.members = {}
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(descriptor, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115 (closed in close())

    def add_file(self, name, fileobj, *, unpacked=None):
        """Copy a seekable file into the archive; its checksum is computed on the bytes stored.

        `unpacked` is the size a gzipped member inflates to, so a reader can refuse one that inflates further.
        """
        fileobj.seek(0)
        record = {}
        if self.sealer:
            content = _Hashing(fileobj)
            sealed = tempfile.TemporaryFile(dir=os.path.dirname(os.path.abspath(self.path)))  # noqa: SIM115 (closed below)
            with sealed:
                record["content_size"] = self.sealer.seal(name, content, sealed)
                record["content_sha256"] = content.digest.hexdigest()
                self._add_stored(name, sealed, record)
        else:
            self._add_stored(name, fileobj, record)
        if unpacked is not None:
            self.members[name]["unpacked"] = unpacked

    def _add_stored(self, name, fileobj, record):
        fileobj.seek(0)
        digest, size = sha256_file(fileobj)
        fileobj.seek(0)
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        self._tar.addfile(info, fileobj)
        self.members[name] = {"sha256": digest, "size": size, **record}

    def add_bytes(self, name, data):
        with tempfile.SpooledTemporaryFile(max_size=CHUNK) as buffer:
            buffer.write(data)
            self.add_file(name, buffer)

    def add_json(self, name, value):
        self.add_bytes(name, json.dumps(value, indent=1, sort_keys=True).encode())

    def close(self):
        """Write the manifest and its digest (or signature) last, then flush the file to disk."""
        contents = {"format": FORMAT, "members": self.members}
        if self.sealer:
            contents = {"format": SEALED_FORMAT, "sealed": self.sealer.header(), "members": self.members}
        manifest = json.dumps(contents, indent=1, sort_keys=True).encode()
        members = dict(self.members)
        self._add_stored(MANIFEST, io.BytesIO(manifest), {})
        if self.sealer:
            self._add_stored(MANIFEST_SIGNATURE, io.BytesIO(self.sealer.sign(manifest).encode()), {})
        else:
            self._add_stored(MANIFEST_DIGEST, io.BytesIO(hashlib.sha256(manifest).hexdigest().encode()), {})
        self.members = members
        self._tar.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def abort(self):
        self._tar.close()
        self._file.close()


class _Hashing(io.RawIOBase):
    """A file read through while its SHA-256 is taken."""

    def __init__(self, source):
        self.source, self.digest = source, hashlib.sha256()

    def read(self, size=-1):
        data = self.source.read(size)
        self.digest.update(data)
        return data


class _Bounded(io.RawIOBase):
    """A stream that refuses to give more than `limit` bytes: a gzip member inflating past its declared size."""

    def __init__(self, source, limit, refuse):
        self.source, self.left, self.refuse = source, limit, refuse

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.source.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise self.refuse()
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


@dataclass
class CheckedArchive:
    """What a fully checked archive holds: its project record, migrations and member checksums."""

    path: str
    project: dict
    migrations: list
    members: dict = field(default_factory=dict)
    sealer: Sealer | None = None

    @property
    def tables(self):
        return self.project["tables"]

    def media_names(self):
        return [name[len(MEDIA_PREFIX) :] for name in self.members if name.startswith(MEDIA_PREFIX)]

    def content_sha256(self, name):
        record = self.members[name]
        return record.get("content_sha256", record["sha256"])

    def open(self):
        return tarfile.open(self.path, "r:")  # noqa: SIM115 (the caller closes it)

    def member(self, tar, name):
        """A member's content (decrypted and authenticated chunk by chunk when the archive is sealed)."""
        return open_member(tar, name, self.sealer)

    def rows(self, tar, table):
        """The JSON lines of a table member, refused as soon as one inflates past the declared size."""
        name = table_member(table)
        return table_lines(self.member(tar, name), name, self.path, self.members[name].get("unpacked"))


def open_member(tar, name, sealer):
    stored = tar.extractfile(name)
    return sealer.opened(name, stored) if sealer else stored


def table_lines(content, name, path, unpacked):
    """Yield a gzipped JSON-lines member's lines as bytes, never holding more than one row in memory."""

    def inflated_too_far():
        return ArchiveDamaged(
            f"The archive {path} is refused: the member {name} inflates beyond the size its manifest declares."
        )

    limit = unpacked if unpacked is not None else 2**62
    try:
        with gzip.GzipFile(fileobj=content, mode="rb") as packed:
            lines = io.BufferedReader(_Bounded(packed, limit, inflated_too_far), buffer_size=CHUNK)
            while line := lines.readline(MAX_ROW_BYTES + 1):
                if len(line) > MAX_ROW_BYTES:
                    raise ArchiveDamaged(
                        f"The archive {path} is refused: the member {name} holds a row over "
                        f"{MAX_ROW_BYTES // (1024 * 1024)} MB."
                    )
                limit -= len(line)
                yield line
            if unpacked is not None and limit:
                raise ArchiveDamaged(
                    f"The archive {path} is damaged: the member {name} is shorter than its manifest declares."
                )
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ArchiveDamaged(
            f"The archive {path} is damaged: the member {name} cannot be unpacked ({error})."
        ) from error
    except SealError as error:
        raise ArchiveNotTrusted(f"The archive {path} is refused: the member {name} {error}.") from error


def check_archive(path, *, key=""):
    """Check the whole archive and return what it holds; raise an ArchiveError if anything is off.

    Nothing is restored from an archive that has not passed this check, so a damaged or crafted copy
    is refused before the target database or media storage is touched. With `key` (BACKUP_KEY), only
    an archive sealed with that key passes: an archive anyone could have rewritten is refused.
    """
    if not os.path.isfile(path):
        raise ArchiveError(f"There is no backup archive at {path}.")
    file_size = os.path.getsize(path)
    try:
        with tarfile.open(path, "r:") as tar:
            entries = list_entries(tar, path, file_size)
            if MANIFEST not in entries or not {MANIFEST_DIGEST, MANIFEST_SIGNATURE} & set(entries):
                if tar.offset >= file_size or file_size % tarfile.BLOCKSIZE:
                    raise ArchiveIncomplete(_incomplete(path))
                raise ArchiveDamaged(f"The archive {path} is damaged: its manifest cannot be found.")
            manifest, sealer = read_manifest(tar, path, entries, key)
            expected = manifest["members"]
            compare_with_manifest(path, entries, expected)
            small = check_members(tar, path, entries, expected, sealer)
    except tarfile.ReadError as error:
        if "unexpected end" in str(error) or "empty file" in str(error):
            raise ArchiveIncomplete(_incomplete(path)) from error
        raise ArchiveDamaged(f"The archive {path} is damaged: it cannot be read as a backup ({error}).") from error
    except EOFError as error:
        raise ArchiveIncomplete(_incomplete(path)) from error
    project, migrations = read_project(small, path)
    unlisted = sorted(table for table in project["tables"] if table_member(table) not in expected)
    if unlisted:
        raise ArchiveMissingMember(
            f"The archive {path} is missing the rows of {len(unlisted)} tables ({unlisted[0]}); "
            "it cannot be restored. Use another copy."
        )
    archive = CheckedArchive(path=path, project=project, migrations=migrations, members=expected, sealer=sealer)
    with tarfile.open(path, "r:") as tar:
        for table, record in project["tables"].items():
            check_table(archive, tar, table, record)
    return archive


def read_project(small, path):
    """project.json and migrations.json, refused unless they have the shape this code writes, so that
    no value read from them later fails with a traceback instead of a message."""
    try:
        project = json.loads(small[PROJECT])
        migrations = json.loads(small[MIGRATIONS])
    except (KeyError, ValueError) as error:
        raise ArchiveDamaged(f"The archive {path} is damaged: its project record cannot be read.") from error
    if not (well_formed_project(project) and well_formed_migrations(migrations)):
        raise ArchiveDamaged(f"The archive {path} is damaged: its project record cannot be read.")
    return project, [tuple(pair) for pair in migrations]


def well_formed_project(project):
    if not isinstance(project, dict) or not isinstance(project.get("tables"), dict):
        return False
    left_out = project.get("left_out", [])
    return (
        all(
            isinstance(record, dict) and isinstance(record.get("model"), str) and is_count(record.get("rows"))
            for record in project["tables"].values()
        )
        and isinstance(left_out, list)
        and all(isinstance(label, str) for label in left_out)
    )


def well_formed_migrations(migrations):
    return isinstance(migrations, list) and all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in migrations
    )


def well_formed_member(record):
    """A manifest entry: its checksums as text, its sizes as counts."""
    return (
        isinstance(record, dict)
        and {"sha256", "size"} <= record.keys()
        and all(isinstance(record[key], str) for key in ("sha256", "content_sha256") if key in record)
        and all(is_count(record[key]) for key in ("size", "content_size", "unpacked") if key in record)
    )


def is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def list_entries(tar, path, file_size):
    """Every entry's header, refusing any that is not a plain file under a safe name, before any is read."""
    entries = {}
    for member in tar:
        if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            raise ArchiveDamaged(
                f"The archive {path} is refused: it holds a {entry_kind(member)} {member.name!r}; "
                "only regular files are restored."
            )
        refuse_unsafe_name(path, member.name)
        if member.name in entries:
            raise ArchiveDamaged(f"The archive {path} is refused: it holds {member.name!r} twice.")
        if member.offset_data + member.size > file_size:
            raise ArchiveIncomplete(_incomplete(path))
        entries[member.name] = member
    return entries


def read_small(tar, member, path):
    if member.size > MAX_SMALL_MEMBER:
        raise ArchiveDamaged(f"The archive {path} is refused: its {member.name} is implausibly large.")
    return tar.extractfile(member).read()


def read_manifest(tar, path, entries, key):
    """The manifest, once its digest (format 1) or its signature under BACKUP_KEY (format 2) holds."""
    data = read_small(tar, entries[MANIFEST], path)
    try:
        manifest = json.loads(data)
        members = manifest["members"]
        if not isinstance(members, dict) or not all(well_formed_member(record) for record in members.values()):
            raise TypeError(members)
    except (ValueError, KeyError, TypeError) as error:
        raise ArchiveDamaged(f"The archive {path} is damaged: its manifest cannot be read.") from error
    sealed = manifest.get("format") == SEALED_FORMAT
    if sealed:
        header = manifest.get("sealed")
        if not isinstance(header, dict):
            raise ArchiveNotTrusted(f"The archive {path} is refused: its encryption header cannot be read.")
        made_with = header.get("key_id", "unknown")
        if not key:
            raise ArchiveNotTrusted(
                f"The archive {path} is encrypted: set BACKUP_KEY to the key it was made with (key id {made_with})."
            )
        if MANIFEST_SIGNATURE not in entries:
            raise ArchiveNotTrusted(f"The archive {path} is refused: its manifest is not signed.")
        try:
            sealer = Sealer.from_header(key, header)
        except SealError as error:
            raise ArchiveNotTrusted(f"The archive {path} is refused: {error}.") from error
        signature = read_small(tar, entries[MANIFEST_SIGNATURE], path).decode(errors="replace")
        if not sealer.verify(data, signature):
            raise ArchiveNotTrusted(
                f"The archive {path} is refused: its manifest's signature does not match BACKUP_KEY. It was "
                f"altered, or made with another key (it names key id {made_with}; BACKUP_KEY is {key_id(key)})."
            )
        return manifest, sealer
    if key:
        raise ArchiveNotTrusted(
            f"The archive {path} is refused: it is not signed, and BACKUP_KEY is set, so only archives made "
            "with that key are restored. To restore an unsigned archive you trust, run the command with "
            "BACKUP_KEY unset."
        )
    if MANIFEST_DIGEST not in entries:
        raise ArchiveDamaged(f"The archive {path} is damaged: its manifest's checksum cannot be found.")
    digest = read_small(tar, entries[MANIFEST_DIGEST], path).decode(errors="replace").strip()
    if hashlib.sha256(data).hexdigest() != digest:
        raise ArchiveDamaged(f"The archive {path} is damaged: its manifest does not match its checksum.")
    if manifest.get("format") != FORMAT:
        raise ArchiveDamaged(
            f"The archive {path} has format {manifest.get('format')}; this site reads format {FORMAT}."
        )
    return manifest, None


def compare_with_manifest(path, entries, expected):
    """The same members as the manifest lists, each under a safe name and of the size it declares."""
    for name in expected:
        refuse_unsafe_name(path, name)
    missing = sorted(set(expected) - set(entries))
    if missing:
        listed = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise ArchiveMissingMember(
            f"The archive {path} is missing {len(missing)} of its {len(expected)} members ({listed}); "
            "it cannot be restored. Use another copy."
        )
    extra = sorted(set(entries) - set(expected) - set(MANIFEST_MEMBERS))
    if extra:
        raise ArchiveDamaged(
            f"The archive {path} is damaged: it holds members its manifest does not list ({extra[0]})."
        )
    for name, record in expected.items():
        if entries[name].size != record.get("size"):
            raise ArchiveDamaged(
                f"The archive {path} is damaged: the member {name} is not of the size its manifest declares."
            )


def check_members(tar, path, entries, expected, sealer):
    """Every member's checksum, and (sealed) every chunk's authentication; returns the small members' content."""
    small = {}
    for name, record in expected.items():
        stored = tar.extractfile(entries[name])
        if sha256_file(stored) != (record["sha256"], record["size"]):
            raise ArchiveDamaged(
                f"The archive {path} is damaged: the member {name} does not match its checksum. Use another copy."
            )
        if not sealer and name not in SMALL_MEMBERS:
            continue
        content = open_member(tar, name, sealer)
        try:
            if name in SMALL_MEMBERS:
                small[name] = content.read(MAX_SMALL_MEMBER + 1)
                digest = hashlib.sha256(small[name]).hexdigest(), len(small[name])
            else:
                digest = sha256_file(content)
        except SealError as error:
            raise ArchiveNotTrusted(f"The archive {path} is refused: the member {name} {error}.") from error
        declared = record.get("content_sha256", record["sha256"]), record.get("content_size", record["size"])
        if digest != declared:
            raise ArchiveDamaged(f"The archive {path} is damaged: the member {name} is not of its declared size.")
    return small


def check_table(archive, tar, table, record):
    """Unpack a table member once, within its declared size and row count, without keeping it."""
    name = table_member(table)
    count = -1  # the first line names the columns
    for _line in archive.rows(tar, table):
        count += 1
    if count != record.get("rows"):
        raise ArchiveDamaged(
            f"The archive {archive.path} is damaged: the member {name} holds {count} rows, "
            f"its project record {record.get('rows')}."
        )


def _incomplete(path):
    return (
        f"The archive {path} is incomplete: it ends before its last member "
        "(the copy was probably cut short). Use another copy."
    )

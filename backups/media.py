"""The media storage, file by file, through `default_storage`'s API so a folder and S3 work alike."""

import contextlib
import tempfile

from django.core.files import File

from backups.archive import CHUNK, MEDIA_PREFIX, ArchiveError, ArchiveNotTrusted
from backups.sealing import SealError


def media_names(storage):
    """Every file in the storage, walking `listdir` from its root; an absent media folder is empty."""
    names, folders = [], [""]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        prefix = f"{folder}/" if folder else ""
        folders.extend(prefix + name for name in subfolders)
        names.extend(prefix + name for name in files)
    return sorted(names)


def export_media(writer, *, storage):
    """Copy every file into the archive; a file deleted while the backup runs is left out."""
    count = 0
    for name in media_names(storage):
        try:
            source = storage.open(name, "rb")
        except FileNotFoundError:
            continue
        with source, tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
            while chunk := source.read(CHUNK):
                spool.write(chunk)
            writer.add_file(MEDIA_PREFIX + name, spool)
        count += 1
    return count


def import_media(archive, tar, *, storage, written):
    """Copy every media file into the storage, adding each name to `written` so a failed restore can remove them."""
    for name in archive.media_names():
        try:
            with archive.member(tar, MEDIA_PREFIX + name) as member:
                saved = storage.save(name, File(member, name=name))
        except SealError as error:
            raise ArchiveNotTrusted(f"The media file {name} {error}, so nothing was restored.") from error
        written.append(saved)
        if saved != name:
            raise ArchiveError(f"The media file {name} could not be restored under its own name (it became {saved}).")
    return len(archive.media_names())


def remove_media(storage, names):
    """Take back the files a failed restore wrote; the error that stopped it is what the operator needs to see."""
    for name in names:
        with contextlib.suppress(Exception):
            storage.delete(name)


def clear_media(storage):
    for name in media_names(storage):
        storage.delete(name)

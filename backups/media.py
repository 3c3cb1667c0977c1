"""The media storage, file by file, through `default_storage`'s API so a folder and S3 work alike."""

import tempfile

from django.core.files import File

from backups.archive import CHUNK, MEDIA_PREFIX, ArchiveError


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


def import_media(archive, tar, *, storage):
    for name in archive.media_names():
        with tar.extractfile(MEDIA_PREFIX + name) as member:
            saved = storage.save(name, File(member, name=name))
        if saved != name:
            raise ArchiveError(f"The media file {name} could not be restored under its own name (it became {saved}).")
    return len(archive.media_names())


def clear_media(storage):
    for name in media_names(storage):
        storage.delete(name)

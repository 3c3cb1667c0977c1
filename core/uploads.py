"""The image field every upload goes through: re-encoded and renamed the moment it is stored.

Whatever path stores a file (a model's `save()`, the admin, a draft revision's `commit_files`),
it ends in `FieldFile.save`, so that is where the upload is made safe: decoded, re-encoded from
its pixels without metadata, stored under a random 128-bit name with the extension of its real
format, and handed to the storage with that format's content type. Nothing the uploader chose
(name, content type, extra bytes) survives, and a draft's new image cannot be guessed before
its revision is published (docs/EDITORIAL.md).
"""

from django.db import models
from django.db.models.fields.files import ImageFieldFile

from core.images import CheckedImageFormField, CleanImage, clean_image


class SafeImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        if not isinstance(content, CleanImage):
            content = clean_image(content)
        super().save(content.name, content, save)
        # Later reads come from storage (the re-encoded file), never from the upload in memory.
        self._file = None


class SafeImageField(models.ImageField):
    """An `ImageField` whose files are always stored re-encoded under a name the server chose."""

    attr_class = SafeImageFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})

    def deconstruct(self):
        """Migrations see a plain `ImageField`: the column is the same, only how files are written differs."""
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs

"""Uploaded images: checked, stripped of metadata, and cut into WebP renditions.

Every image field in the project (article heroes, images in the text, clinician photos,
products) is a `core.uploads.SafeImageField` with `validate_image` as a validator and
`ImageRenditions` on its model, so the checks, the re-encoding (`clean_image`) and the `srcset`
markup are the same everywhere and work with any Django storage (disk or S3).
"""

import io
import posixpath
import re
import secrets
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def validate_image(upload):
    """Refuse anything but a real JPEG, PNG or WebP within the size and pixel limits."""
    if getattr(upload, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    if upload.size is not None and upload.size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s MB; images can be at most %(limit)s MB."),
            params={
                "size": f"{upload.size / 1024 / 1024:.1f}",
                "limit": settings.IMAGE_MAX_BYTES // (1024 * 1024),
            },
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Please upload a JPEG, PNG or WebP image (this file is %(format)s)."),
                        params={"format": image_format or _("not an image")},
                        code="bad_format",
                    )
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "This image is %(width)s × %(height)s pixels, more than the "
                            "%(limit)s megapixels allowed. Please resize it and try again."
                        ),
                        params={"width": width, "height": height, "limit": settings.IMAGE_MAX_PIXELS // 1_000_000},
                        code="too_many_pixels",
                    )
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("This image is too large to process safely. Please resize it and try again."),
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP image."),
            code="not_an_image",
        ) from None
    finally:
        upload.seek(position)


class CheckedImageFormField(forms.FileField):
    """The admin's upload field: our checks, so the editor reads the real reason.

    Django's own `forms.ImageField` answers every refusal (text file, SVG, pixel bomb)
    with one generic "Upload a valid image"; `validate_image` says what is wrong.
    """

    default_validators = [validate_image]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("A JPEG, PNG or WebP image, at most 10 MB and 40 megapixels."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")


CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
JPEG_QUALITY = 88

# A name the server chose: 128 random bits and the extension of the format it was re-encoded in.
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


def stored_name(image_format):
    """A fresh, unguessable file name for an image of `image_format` (never the uploaded name)."""
    return f"{secrets.token_hex(16)}.{ALLOWED_FORMATS[image_format]}"


def is_stored_name(name):
    return bool(STORED_NAME.match(posixpath.basename(name or "")))


def _open_clean(file):
    """The upload's pixels upright, in sRGB RGB(A), with nothing else of the file, and its format.

    The format is read before `exif_transpose()`, whose copy has none: reading it after turned
    every PNG into a JPEG and lost its transparency. The pixels are copied into a new image, so
    no EXIF, XMP, ICC profile, PNG text chunk or JPEG comment can ride along into the encoder.
    """
    file.seek(0)
    with Image.open(file) as opened:
        image_format = opened.format
        icc_profile = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)  # keep the orientation the camera meant, drop the tag
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "transparency" in image.info or image.mode in ("LA", "P", "PA") else "RGB")
        image = _to_srgb(image, icc_profile)
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
    return clean, image_format


def _to_srgb(image, icc_profile):
    """Colours from a wide-gamut camera profile converted to sRGB, so they survive losing the profile."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are


def _encode(image, image_format):
    """Pixels into a fresh file; `exif=b""`, `comment=b""` and no `pnginfo` keep metadata out."""
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, comment=b"", exif=b""
        )
    elif image_format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=80, method=4, exif=b"")
    return buffer.getvalue()


class CleanImage(ContentFile):
    """An image re-encoded from its pixels, under a server-chosen name and the type of its format.

    `content_type` is read by object storage (django-storages uses it before guessing from the
    name), so the type a browser sent with the upload never reaches the stored object.
    """

    def __init__(self, data, *, image_format):
        super().__init__(data, name=stored_name(image_format))
        self.image_format = image_format
        self.content_type = CONTENT_TYPES[image_format]


def clean_image(file):
    """The upload decoded and re-encoded in its own format (JPEG, PNG or WebP), metadata gone."""
    source, source_format = _open_clean(file)
    with source:
        image_format = source_format if source_format in ALLOWED_FORMATS else "JPEG"
        return CleanImage(_encode(source, image_format), image_format=image_format)


def process_image(field_file, *, widths=None):
    """Write WebP renditions beside a stored, already re-encoded image.

    Returns the description stored on the model: the image's name and size, and one entry per
    rendition. Rendition names share the stored image's unguessable stem.
    """
    widths = widths or settings.IMAGE_RENDITION_WIDTHS
    field_file.open("rb")
    try:
        image, _format = _open_clean(field_file)
    finally:
        field_file.close()

    folder = posixpath.join(posixpath.dirname(field_file.name), "renditions")
    stored_stem = posixpath.splitext(posixpath.basename(field_file.name))[0]
    renditions = []
    # Each configured width narrower than the image, then the image's own width: a 600 px
    # upload gets 480 and 600, never an upscaled copy.
    targets = [width for width in sorted(set(widths)) if width < image.width]
    if image.width <= max(widths):
        targets.append(image.width)
    for width in targets:
        target = image.copy()
        if width < image.width:
            target.thumbnail((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        content = ContentFile(_encode(target, "WEBP"))
        content.content_type = CONTENT_TYPES["WEBP"]
        name = default_storage.save(posixpath.join(folder, f"{stored_stem}-{target.width}.webp"), content)
        renditions.append({"name": name, "width": target.width, "height": target.height})
    return {
        "source": field_file.name,
        "width": image.width,
        "height": image.height,
        "renditions": renditions,
    }


def delete_renditions(info):
    for rendition in (info or {}).get("renditions", []):
        default_storage.delete(rendition["name"])


class ImageRenditions:
    """What a template needs to draw an image: `src`, `srcset`, width and height."""

    def __init__(self, field_file, info, alt=""):
        self.field_file = field_file
        self.info = info or {}
        self.alt = alt

    def __bool__(self):
        return bool(self.field_file) and bool(self.info.get("renditions"))

    @property
    def renditions(self):
        return self.info.get("renditions", [])

    @property
    def width(self):
        return self.renditions[-1]["width"] if self.renditions else self.info.get("width")

    @property
    def height(self):
        return self.renditions[-1]["height"] if self.renditions else self.info.get("height")

    # Cached: templates read `src` and `srcset` twice per image, and each URL costs the storage's urljoin.
    @cached_property
    def src(self):
        return default_storage.url(self.renditions[-1]["name"]) if self.renditions else self.field_file.url

    @cached_property
    def srcset(self):
        return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in self.renditions)

    def smallest_at_least(self, width):
        """The URL of the smallest rendition at least `width` pixels wide (for thumbnails)."""
        for rendition in self.renditions:
            if rendition["width"] >= width:
                return default_storage.url(rendition["name"])
        return self.src


def narrower_than(info, width):
    """A sentence for the editor when an image is narrower than the `width` it is shown at, or ""."""
    if not info or info.get("width", width) >= width:
        return ""
    return _(
        "This image is %(actual)d pixels wide but is shown up to %(shown)d pixels wide: it will look "
        "blurred. Please upload one at least %(shown)d pixels wide if you have it."
    ) % {"actual": info["width"], "shown": width}


def figure_html(renditions, caption, *, sizes):
    """An image in running text: the site's one `<img>` markup (includes/picture.html, lazy
    loaded) in a `<figure>` with its caption."""
    if not renditions:
        return ""
    context = {"image": renditions, "caption": caption, "sizes": sizes}
    return mark_safe(render_to_string("includes/figure.html", context).strip())  # noqa: S308 (autoescaped template)


def refresh_renditions(instance, field_name, info_field_name):
    """Call from `save()`: store a new upload re-encoded, make its renditions, forget a removed one's.

    A file is stored through its field (`SafeImageField` re-encodes it and names it); one stored
    before that (an old draft's image going live) is re-encoded the same way first.
    """
    field_file = getattr(instance, field_name)
    info = getattr(instance, info_field_name) or {}
    if not field_file:
        if info:
            delete_renditions(info)
            setattr(instance, info_field_name, {})
        return
    if info.get("source") == field_file.name and field_file._committed:
        return
    if info:
        delete_renditions(info)
    if not field_file._committed:
        field_file.save(field_file.name, field_file.file, save=False)
    elif not is_stored_name(field_file.name):
        with field_file.open("rb"):
            clean = clean_image(field_file)
        field_file.save(field_file.name, clean, save=False)
    setattr(instance, info_field_name, process_image(field_file))

"""Uploads built to carry more than pixels, and the checks that nothing but pixels was kept."""

import io
import posixpath
import re

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

SCRIPT = b"<script>document.title='ran'</script>"
CAMERA_SERIAL = "SN-48151623"
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


def html_polyglot():
    """A valid PNG that is also an HTML page: a script in a tEXt chunk, named and typed as HTML."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (200, 90, 40)).save(buffer, "PNG", pnginfo=info)
    data = buffer.getvalue()
    assert SCRIPT in data and b"tEXt" in data
    return SimpleUploadedFile("x.html", data, content_type="text/html")


def located_jpeg():
    """A phone photo: GPS position, the camera's serial number and a JPEG comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = CAMERA_SERIAL
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 120, 160)).save(buffer, "JPEG", exif=exif, comment=b"home address here")
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as image:  # the test file really carries all of it
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert CAMERA_SERIAL.encode() in data
    return SimpleUploadedFile("IMG_2041.jpg", data, content_type="image/jpeg")


def texted_png():
    """A PNG with tEXt, zTXt and iTXt chunks (author, a note, a location)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Patient")
    info.add_text("Description", "taken at 12 Elm Street", zip=True)
    info.add_itxt("Location", "51.5 N 0.1 W", lang="en")
    buffer = io.BytesIO()
    Image.new("RGBA", (700, 500), (10, 160, 90, 255)).save(buffer, "PNG", pnginfo=info)
    data = buffer.getvalue()
    assert all(kind in data for kind in (b"tEXt", b"zTXt", b"iTXt"))
    return SimpleUploadedFile("scan.png", data, content_type="image/png")


UPLOADS = {"html-polyglot": html_polyglot, "gps-jpeg": located_jpeg, "texted-png": texted_png}
FORMATS = {"html-polyglot": "PNG", "gps-jpeg": "JPEG", "texted-png": "PNG"}


def assert_stored_clean(name, *, image_format, upload_name):
    """The stored file is a fresh encoding in `image_format` under a server-chosen name."""
    basename = posixpath.basename(name)
    assert STORED_NAME.match(basename), name
    assert posixpath.splitext(upload_name)[0].lower() not in basename.removesuffix(posixpath.splitext(basename)[1])
    assert basename.endswith({"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}[image_format])
    with default_storage.open(name) as stored:
        data = stored.read()
    for marker in (
        b"<script",
        b"tEXt",
        b"zTXt",
        b"iTXt",
        b"Exif",
        b"PhoneMaker",
        CAMERA_SERIAL.encode(),
        b"home address",
    ):
        assert marker not in data, marker
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == image_format
        assert len(image.getexif()) == 0
        assert not {"exif", "comment", "xmp", "Comment", "Author", "Description", "Location"} & set(image.info)
    return data

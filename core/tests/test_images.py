"""Uploads: only real JPEG, PNG and WebP within limits are kept, stripped of metadata, in WebP renditions."""

import io
import random
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from articles.models import Article
from articles.tests.factories import make_article, make_category, make_clinician, make_image_file
from articles.tests.test_admin import article_form

pytestmark = pytest.mark.django_db

NOT_READABLE = "This file is not an image we can read. Please upload a JPEG, PNG or WebP image."


def png_claiming(width, height):
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's calling card."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def noisy_png(size=(800, 800)):
    """A real PNG that compresses badly, so it is large on disk (about 1.9 MB here)."""
    pixels = random.Random(7).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, "PNG", compress_level=1)
    return SimpleUploadedFile("noise.png", buffer.getvalue(), content_type="image/png")


def gif_file():
    buffer = io.BytesIO()
    Image.new("P", (40, 40), 3).save(buffer, "GIF")
    return SimpleUploadedFile("animation.gif", buffer.getvalue(), content_type="image/gif")


def svg_file():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect width="10"/></svg>'
    return SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")


def text_as_jpeg():
    return SimpleUploadedFile(
        "holiday.jpg", b"Dear diary, this is not a photo at all.\n" * 20, content_type="image/jpeg"
    )


def exif_with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Pocket 3"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def unsaved_article(upload):
    return Article(
        title="Hands and wrists",
        slug="hands-and-wrists",
        category=make_category(),
        summary="Summary.",
        body="Body.",
        author=make_clinician(),
        hero_image=upload,
        hero_alt="A drawing of a hand",
    )


def hero_errors(upload):
    article = unsaved_article(upload)
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    return caught.value.message_dict.get("hero_image", [])


# --- The model refuses what it cannot safely keep (the same check for every image field) ----------


def test_a_text_file_renamed_to_jpg_is_refused():
    assert hero_errors(text_as_jpeg()) == [NOT_READABLE]


def test_an_svg_is_refused_because_it_can_carry_script():
    assert hero_errors(svg_file()) == [NOT_READABLE]


def test_a_gif_is_refused_with_the_formats_we_accept():
    assert hero_errors(gif_file()) == ["Please upload a JPEG, PNG or WebP image (this file is GIF)."]


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(settings):
    settings.IMAGE_MAX_BYTES = 1024 * 1024
    errors = hero_errors(noisy_png())
    assert errors == ["This file is 1.8 MB; images can be at most 1 MB."]


def test_an_image_with_more_pixels_than_allowed_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 40_000_000
    upload = SimpleUploadedFile("huge.png", png_claiming(8000, 6000), content_type="image/png")
    assert hero_errors(upload) == [
        "This image is 8000 × 6000 pixels, more than the 40 megapixels allowed. Please resize it and try again."
    ]


def test_a_pixel_bomb_is_refused_without_being_decoded():
    upload = SimpleUploadedFile("bomb.png", png_claiming(50_000, 50_000), content_type="image/png")
    assert hero_errors(upload) == ["This image is too large to process safely. Please resize it and try again."]


def test_the_pixel_limit_follows_the_setting(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    errors = hero_errors(make_image_file(size=(120, 100)))
    assert len(errors) == 1
    assert errors[0].startswith("This image is 120 × 100 pixels, more than the")


def test_an_ordinary_jpeg_passes_validation():
    unsaved_article(make_image_file()).full_clean()


# --- The admin shows the editor why an upload was refused, and keeps nothing ---------------------


def post_hero(client, upload):
    form = article_form(client, hero_image=upload, hero_alt="A drawing of a hand", status=Article.Status.PUBLISHED)
    return client.post(reverse("admin:articles_article_add"), form)


@pytest.mark.parametrize(
    ("make_upload", "message"),
    [
        (text_as_jpeg, NOT_READABLE),
        (svg_file, NOT_READABLE),
        (gif_file, "Please upload a JPEG, PNG or WebP image (this file is GIF)."),
        (
            lambda: SimpleUploadedFile("huge.png", png_claiming(8000, 6000), content_type="image/png"),
            "This image is 8000 × 6000 pixels, more than the 40 megapixels allowed.",
        ),
        (
            lambda: SimpleUploadedFile("bomb.png", png_claiming(50_000, 50_000), content_type="image/png"),
            "This image is too large to process safely. Please resize it and try again.",
        ),
    ],
    ids=["text-as-jpg", "svg", "gif", "too-many-pixels", "pixel-bomb"],
)
def test_the_admin_tells_the_editor_why_an_upload_was_refused(admin_client, make_upload, message):
    response = post_hero(admin_client, make_upload())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_the_admin_refuses_a_file_over_the_size_limit(admin_client, settings):
    settings.IMAGE_MAX_BYTES = 1024 * 1024
    response = post_hero(admin_client, noisy_png())
    assert "This file is 1.8 MB; images can be at most 1 MB." in response.content.decode()
    assert not Article.objects.exists()


def test_the_admin_accepts_a_good_jpeg_and_builds_its_renditions(admin_client):
    response = post_hero(admin_client, make_image_file("hands.jpg"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert [r["width"] for r in article.hero_renditions["renditions"]] == [480, 800, 1200]


def test_a_narrow_image_keeps_its_own_width_as_the_largest_rendition_and_is_never_upscaled():
    article = make_article(hero_image=make_image_file("narrow.jpg", size=(600, 400)), hero_alt="A narrow picture")
    assert [(r["width"], r["height"]) for r in article.hero_renditions["renditions"]] == [(480, 320), (600, 400)]
    assert article.hero.width == 600


# --- What is stored -------------------------------------------------------------------------------


def test_exif_and_gps_data_are_removed_from_the_stored_image_and_renditions():
    upload = make_image_file("holiday.jpg", exif=exif_with_gps())
    with Image.open(io.BytesIO(upload.read())) as original:  # the test file really carries GPS
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    upload.seek(0)

    article = make_article(hero_image=upload, hero_alt="A sunny beach")

    with default_storage.open(article.hero_image.name) as stored:
        data = stored.read()
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
    for rendition in article.hero_renditions["renditions"]:
        with default_storage.open(rendition["name"]) as stored, Image.open(stored) as image:
            assert len(image.getexif()) == 0
            assert "exif" not in image.info


def test_renditions_are_webp_at_the_configured_widths_with_matching_heights():
    article = make_article(hero_image=make_image_file(size=(1600, 900)), hero_alt="Hills")
    renditions = article.hero_renditions["renditions"]
    assert [(r["width"], r["height"]) for r in renditions] == [(480, 270), (800, 450), (1200, 675)]
    for rendition in renditions:
        assert rendition["name"].endswith(".webp")
        with default_storage.open(rendition["name"]) as stored, Image.open(stored) as image:
            assert image.format == "WEBP"
            assert image.size == (rendition["width"], rendition["height"])


def test_renditions_follow_the_width_setting(settings):
    settings.IMAGE_RENDITION_WIDTHS = [300, 600]
    article = make_article(hero_image=make_image_file(size=(1200, 800)), hero_alt="Hills")
    assert [(r["width"], r["height"]) for r in article.hero_renditions["renditions"]] == [(300, 200), (600, 400)]


def test_the_template_helper_offers_a_srcset_of_every_rendition():
    article = make_article(hero_image=make_image_file(size=(1600, 900)), hero_alt="Hills at dusk")
    hero = article.hero
    assert hero
    assert hero.alt == "Hills at dusk"
    assert (hero.width, hero.height) == (1200, 675)
    assert hero.src.endswith("-1200.webp")
    assert [part.rsplit(" ", 1)[1] for part in hero.srcset.split(", ")] == ["480w", "800w", "1200w"]


def test_replacing_the_image_deletes_the_old_renditions():
    article = make_article(hero_image=make_image_file(), hero_alt="First")
    old = [r["name"] for r in article.hero_renditions["renditions"]]
    article.hero_image = make_image_file("second.jpg", color=(200, 40, 40))
    article.save()
    assert all(not default_storage.exists(name) for name in old)
    assert all(default_storage.exists(r["name"]) for r in article.hero_renditions["renditions"])


def test_removing_the_image_forgets_its_renditions():
    article = make_article(hero_image=make_image_file(), hero_alt="First")
    names = [r["name"] for r in article.hero_renditions["renditions"]]
    article.hero_image = None
    article.hero_alt = ""
    article.save()
    assert article.hero_renditions == {}
    assert not article.hero
    assert all(not default_storage.exists(name) for name in names)


def test_saving_an_article_again_does_not_reprocess_its_image():
    article = make_article(
        hero_image=make_image_file(), hero_alt="First", publish_at=timezone.now() - timedelta(days=1)
    )
    before = dict(article.hero_renditions)
    article.title = "A new title"
    article.save()
    assert article.hero_renditions == before

"""The admin's uploads and rich-text bodies: hostile files are refused, hostile markup never reaches a page."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from articles.models import Article, Clinician
from articles.tests.factories import make_article, make_category, make_clinician
from core.richtext import render_markdown
from shop.tests.factories import make_product
from tests.hostile.corpus import SCRIPT_CASES, params
from tests.hostile.markup import active_markup, injected_markup

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(1)</script>"


def _image_bytes(image_format, size=(64, 48), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, image_format, **options)
    return buffer.getvalue()


def _png_claiming(width, height):
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's calling card)."""
    png = bytearray(_image_bytes("PNG", size=(1, 1)))
    ihdr = png.index(b"IHDR")
    png[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    png[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(png[ihdr : ihdr + 17])))
    return bytes(png)


def _gif_with_html():
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF", comment=b"<html><body>" + SCRIPT + b"</body></html>")
    return buffer.getvalue() + b"<html>" + SCRIPT + b"</html>"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
REFUSED_UPLOADS = {
    "gif-with-html-polyglot": ("photo.gif", _gif_with_html(), "image/gif"),
    "gif-polyglot-renamed-jpg": ("photo.jpg", _gif_with_html(), "image/jpeg"),
    "svg-with-script": ("logo.svg", SVG, "image/svg+xml"),
    "svg-renamed-png": ("logo.png", SVG, "image/png"),
    "html-renamed-jpg": ("photo.jpg", b"<!doctype html><html>" + SCRIPT + b"</html>", "image/jpeg"),
    "text-renamed-jpg": ("photo.jpg", b"Just a letter, not a picture.\n" * 20, "image/jpeg"),
    "pdf-renamed-png": ("scan.png", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "image/png"),
    "truncated-jpeg": ("photo.jpg", _image_bytes("JPEG", size=(400, 300))[:600], "image/jpeg"),
    "pixel-bomb": ("bomb.png", _png_claiming(30000, 30000), "image/png"),
    "too-many-pixels": ("wide.png", _png_claiming(10000, 5000), "image/png"),
    "zero-bytes": ("empty.jpg", b"", "image/jpeg"),
    "bmp-image": ("photo.bmp", _image_bytes("BMP"), "image/bmp"),
    "tiff-image": ("photo.tiff", _image_bytes("TIFF"), "image/tiff"),
}


def _png_with_text_chunk():
    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    return _image_bytes("PNG", pnginfo=info)


ACCEPTED_UPLOADS = {
    "jpeg-with-html-appended": ("photo.jpg", _image_bytes("JPEG") + b"<html>" + SCRIPT, "image/jpeg"),
    "png-with-script-text-chunk": ("photo.png", _png_with_text_chunk(), "image/png"),
    "jpeg-with-script-comment": ("photo.jpg", _image_bytes("JPEG", comment=SCRIPT), "image/jpeg"),
    # A real image with a dangerous name: kept, but stored under the name of what it really is.
    "real-png-named-html": ("photo.html", _image_bytes("PNG"), "text/html"),
}


def clinician_form(upload):
    return {
        "name": "Dr Ana Ortiz",
        "slug": "dr-ana-ortiz",
        "credentials": "MD",
        "role": "",
        "bio": "",
        "photo_alt": "Dr Ortiz smiling",
        "photo": upload,
    }


@pytest.mark.parametrize("name", list(REFUSED_UPLOADS))
def test_a_hostile_upload_is_refused_with_a_message_at_the_field(admin_client, name):
    filename, content, content_type = REFUSED_UPLOADS[name]
    upload = SimpleUploadedFile(filename, content, content_type=content_type)
    response = admin_client.post(reverse("admin:articles_clinician_add"), clinician_form(upload))
    assert response.status_code == 200, response.status_code
    assert b"errornote" in response.content
    assert response.context["adminform"].form.errors["photo"]
    assert Clinician.objects.count() == 0


@pytest.mark.parametrize("name", list(ACCEPTED_UPLOADS))
def test_an_image_carrying_hidden_markup_is_stored_re_encoded_without_it(admin_client, name):
    filename, content, content_type = ACCEPTED_UPLOADS[name]
    upload = SimpleUploadedFile(filename, content, content_type=content_type)
    response = admin_client.post(reverse("admin:articles_clinician_add"), clinician_form(upload))
    assert response.status_code == 302
    clinician = Clinician.objects.get()
    stored = [clinician.photo.name] + [r["name"] for r in clinician.photo_renditions["renditions"]]
    for name_on_disk in stored:
        assert name_on_disk.rsplit(".", 1)[-1] in ("jpg", "png", "webp"), name_on_disk
        with clinician.photo.storage.open(name_on_disk) as stored_file:
            data = stored_file.read()
        assert b"<script" not in data and b"alert(" not in data, name_on_disk


@pytest.mark.parametrize("name", ["gif-with-html-polyglot", "svg-with-script", "text-renamed-jpg"])
@pytest.mark.parametrize("admin_page", ["admin:articles_article_add", "admin:shop_product_add"])
def test_article_and_product_images_refuse_the_same_files(admin_client, admin_page, name):
    filename, content, content_type = REFUSED_UPLOADS[name]
    field = "hero_image" if "article" in admin_page else "image"
    response = admin_client.post(
        reverse(admin_page), {field: SimpleUploadedFile(filename, content, content_type=content_type)}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]


# --- Rich text ----------------------------------------------------------------------------


def article_form(category, author, **overrides):
    data = {
        "title": "Easing lower back pain",
        "slug": "easing-back-pain",
        "category": category.pk,
        "summary": "What helps.",
        "body": "## Start\n\nGentle movement helps.",
        "hero_alt": "",
        "author": author.pk,
        "reviewer": "",
        "reviewed_on": "",
        "status": "published",
        "publish_at_0": "2026-01-05",
        "publish_at_1": "09:00:00",
        "comments_open": "on",
        "seo_title": "",
        "seo_description": "",
    }
    data.update(overrides)
    return data


def management_data(admin_client, url):
    """The inline formsets' management fields as the add page sets them (whatever inlines exist)."""
    data = {}
    for inline in admin_client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() or 0 for name in management.fields})
    return data


@pytest.fixture
def people(db):
    return make_category(name="Back & Spine", slug="back-spine"), make_clinician()


@pytest.mark.parametrize("case", params(SCRIPT_CASES[::16]))
def test_an_editors_script_is_stored_as_typed_and_never_rendered(admin_client, people, case):
    category, author = people
    url = reverse("admin:articles_article_add")
    response = admin_client.post(
        url, {**management_data(admin_client, url), **article_form(category, author, body=case.text)}
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.body == case.text.strip()
    assert not active_markup(article.body_html), article.body_html


@pytest.mark.parametrize("case", params(SCRIPT_CASES))
def test_markdown_rendering_drops_every_script_form(case):
    rendered, toc = render_markdown(case.text)
    assert not active_markup(rendered), rendered
    for heading in toc:
        assert "<" not in heading["id"]


def test_the_article_and_product_pages_show_every_script_form_as_text(client, people):
    category, author = people
    harmless = make_article(title="Plain", slug="plain", category=category, author=author)
    product = make_product(name="Plain cream", slug="plain-cream")
    baseline_article = client.get(harmless.get_absolute_url()).content
    baseline_product = client.get(product.get_absolute_url()).content
    body = "\n\n".join(case.text for case in SCRIPT_CASES)
    Article.objects.filter(pk=harmless.pk).delete()
    hostile = make_article(
        title=SCRIPT_CASES[0].text,
        slug="plain",
        summary=SCRIPT_CASES[3].text,
        body=body,
        category=category,
        author=author,
    )
    product.short_description = SCRIPT_CASES[5].text[:200]
    product.description = body
    product.save()
    for url, baseline in (
        (hostile.get_absolute_url(), baseline_article),
        (product.get_absolute_url(), baseline_product),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert injected_markup(page.content, baseline) == []

"""Uploads served by Django itself (development, or DJANGO_SERVE_MEDIA): images only, never sniffed."""

import pytest
from django.http import Http404

from core.media import serve_upload

IMAGES = {
    "hero.jpg": "image/jpeg",
    "hero.JPEG": "image/jpeg",
    "chart.png": "image/png",
    "photo-800.webp": "image/webp",
    "diagram.gif": "image/gif",
    "scan.avif": "image/avif",
}
NOT_IMAGES = [
    "page.html",
    "page.htm",
    "drawing.svg",
    "notes.txt",
    "script.js",
    "leaflet.pdf",
    "noextension",
    "x.png.html",
]


@pytest.fixture
def uploads(settings):
    folder = settings.MEDIA_ROOT / "articles"
    folder.mkdir(parents=True)
    for name in [*IMAGES, *NOT_IMAGES]:
        (folder / name).write_bytes(b"<html><script>alert(1)</script></html>")
    return folder


@pytest.mark.parametrize(("name", "content_type"), list(IMAGES.items()))
def test_an_uploaded_image_is_served_as_its_type_and_never_sniffed(client, settings, uploads, name, content_type):
    response = client.get(f"{settings.MEDIA_URL}articles/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", NOT_IMAGES)
def test_any_other_file_under_media_is_not_found(client, db, settings, uploads, name):
    assert client.get(f"{settings.MEDIA_URL}articles/{name}").status_code == 404


def test_the_view_itself_says_nosniff(rf, uploads):
    response = serve_upload(rf.get("/media/articles/chart.png"), "articles/chart.png")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["../settings.py", "articles/../../x.png", "/etc/passwd.png", "articles/missing.png"])
def test_nothing_outside_the_uploads_folder_is_served(rf, uploads, path):
    with pytest.raises(Http404):
        serve_upload(rf.get("/media/" + path), path)

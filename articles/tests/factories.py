"""Small builders for test data, shared by every app's tests."""

import io
import itertools
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.demo.approvals import record_past_approval
from articles.models import Article, Category, Clinician

_sequence = itertools.count(1)


def make_category(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Category {n}")
    fields.setdefault("slug", f"category-{n}")
    return Category.objects.create(**fields)


def make_clinician(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Dr Test {n}")
    fields.setdefault("slug", f"dr-test-{n}")
    fields.setdefault("credentials", "MD, Pain Medicine")
    fields.setdefault("role", "Pain specialist")
    return Clinician.objects.create(**fields)


def make_article(**fields):
    """A published, live article unless the caller says otherwise. `reviewed_on` (with a
    `reviewer`) records an approval of its text by that reviewer on that day."""
    n = next(_sequence)
    reviewed_on = fields.pop("reviewed_on", None)
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("summary", f"Summary of article {n}.")
    fields.setdefault("body", f"## First section\n\nBody of article {n}.\n\n## Second section\n\nMore text.")
    if "category" not in fields:
        fields["category"] = make_category()
    if "author" not in fields:
        fields["author"] = make_clinician()
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timedelta(hours=1))
    article = Article.objects.create(**fields)
    if reviewed_on is not None:
        record_past_approval(article=article, clinician=article.reviewer, reviewed_on=reviewed_on)
    return article


def make_reviewed_article(**fields):
    """The article the page tests look at: Dr Ada Lane's, reviewed by Dr Ben Ode, in Back & Spine."""
    if "category" not in fields:
        fields["category"] = make_category(
            name="Back & Spine", slug="back-spine", description="Help with back and neck pain."
        )
    fields.setdefault(
        "author", make_clinician(name="Dr Ada Lane", slug="ada-lane", credentials="MD", bio="Treats back pain.")
    )
    fields.setdefault("reviewer", make_clinician(name="Dr Ben Ode", slug="ben-ode", credentials="DO, Pain Medicine"))
    fields.setdefault("reviewed_on", date(2026, 10, 1))
    fields.setdefault("title", "Injections for lower back pain")
    fields.setdefault("slug", "injections-lower-back")
    return make_article(**fields)


def make_image_file(name="photo.jpg", size=(1600, 900), image_format="JPEG", color=(40, 120, 160), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, image_format, **options)
    content_types = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_types.get(image_format, "image/jpeg"))

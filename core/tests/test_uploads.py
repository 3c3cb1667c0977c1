"""Every image field stores an upload re-encoded, stripped and renamed, whatever it claimed to be."""

import boto3
import pytest
from moto import mock_aws

from articles.models import ArticleImage
from articles.review import article_save_draft
from articles.tests.factories import make_article, make_clinician
from core.tests.hostile_images import FORMATS, UPLOADS, assert_stored_clean, html_polyglot
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db


def store_article_image(upload):
    image = ArticleImage.objects.create(article=make_article(), image=upload, alt="A drawing")
    return image.image.name, image.renditions


def store_clinician_photo(upload):
    clinician = make_clinician(photo=upload, photo_alt="Dr Lane smiling")
    return clinician.photo.name, clinician.photo_renditions


def store_product_image(upload):
    product = make_product(image=upload, image_alt="A tube of cream")
    return product.image.name, product.image_renditions


FIELDS = {
    "article-image": store_article_image,
    "clinician-photo": store_clinician_photo,
    "product": store_product_image,
}


@pytest.mark.parametrize("kind", UPLOADS)
@pytest.mark.parametrize("field", FIELDS)
def test_an_upload_is_stored_re_encoded_without_metadata_under_a_name_the_server_chose(field, kind):
    upload = UPLOADS[kind]()
    name, renditions = FIELDS[field](upload)
    assert_stored_clean(name, image_format=FORMATS[kind], upload_name=upload.name)
    stem = name.rsplit("/", 1)[1].split(".")[0]
    assert renditions["source"] == name
    assert renditions["renditions"] and all(stem in r["name"] for r in renditions["renditions"])


@pytest.fixture
def object_storage(settings, monkeypatch):
    """An S3 bucket in memory (moto), as the default storage."""
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(variable, "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="clinic-media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "clinic-media", "region_name": "us-east-1", "file_overwrite": False},
            },
        }
        yield s3


def test_object_storage_keeps_the_type_of_the_decoded_image_never_the_type_the_browser_sent(object_storage):
    upload = html_polyglot()
    assert upload.content_type == "text/html"
    product = make_product(image=upload, image_alt="A tube of cream")
    stored = object_storage.head_object(Bucket="clinic-media", Key=product.image.name)
    assert stored["ContentType"] == "image/png"
    for rendition in product.image_renditions["renditions"]:
        head = object_storage.head_object(Bucket="clinic-media", Key=rendition["name"])
        assert head["ContentType"] == "image/webp"


def test_a_drafts_new_image_reaches_object_storage_as_an_image_without_its_script(object_storage):
    """A draft stores its file without saving the row (`commit_files`): the same field does it."""
    article = make_article()
    article.hero_image = html_polyglot()
    article.hero_alt = "A warm compress"
    revision = article_save_draft(article=article, user=None)
    key = revision.content["hero_image"]
    assert object_storage.head_object(Bucket="clinic-media", Key=key)["ContentType"] == "image/png"
    body = object_storage.get_object(Bucket="clinic-media", Key=key)["Body"].read()
    assert b"<script" not in body and b"tEXt" not in body

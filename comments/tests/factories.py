"""Small builders for comment tests."""

from comments.models import Comment
from conftest import reader_post

SITE_KEY = "test-site-key-not-google"
SECRET_KEY = "test-secret-key-not-google"


COMMENT = {"name": "Ana Reader", "email": "ana@example.com", "body": "This helped me understand my options."}


def comment_data(**overrides):
    return reader_post(COMMENT, **overrides)


def make_comment(article, **fields):
    fields.setdefault("name", "A reader")
    fields.setdefault("email", "reader@example.com")
    fields.setdefault("body", "A kind comment.")
    fields.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **fields)

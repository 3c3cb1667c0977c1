"""Small builders for comment tests."""

from comments.models import Comment
from tests.support.submissions import reader_post

COMMENT = {"name": "Ana Reader", "email": "ana@example.com", "body": "This helped me understand my options."}


def comment_data(**overrides):
    return reader_post(COMMENT, **overrides)


def make_comment(article, **fields):
    fields.setdefault("name", "A reader")
    fields.setdefault("email", "reader@example.com")
    fields.setdefault("body", "A kind comment.")
    fields.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **fields)

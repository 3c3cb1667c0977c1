"""Small builders for comment tests."""

from comments.models import Comment

SITE_KEY = "test-site-key-not-google"
SECRET_KEY = "test-secret-key-not-google"


def comment_data(**overrides):
    data = {
        "name": "Ana Reader",
        "email": "ana@example.com",
        "body": "This helped me understand my options.",
        "captcha": "token-from-the-browser",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_comment(article, **fields):
    fields.setdefault("name", "A reader")
    fields.setdefault("email", "reader@example.com")
    fields.setdefault("body", "A kind comment.")
    fields.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **fields)

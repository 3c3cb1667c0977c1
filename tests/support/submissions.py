"""What a reader's browser posts, and a stand-in for Google's CAPTCHA check, so no test reaches Google."""

import io
import json
from urllib.error import HTTPError, URLError

import pytest

SITE_KEY = "test-site-key-not-google"
SECRET_KEY = "test-secret-key-not-google"


class FakeGoogle:
    """Stands in for django_recaptcha.client.recaptcha_request.

    Set `.answer` (the JSON Google would send), `.raw` (bytes) or `.error` (an exception to raise).
    """

    def __init__(self):
        self.answer = {"success": True, "score": 0.95, "action": "comment", "hostname": "testserver"}
        self.raw = None
        self.error = None
        self.calls = 0

    def __call__(self, params):
        self.calls += 1
        if self.error is not None:
            raise self.error
        body = self.raw if self.raw is not None else json.dumps(self.answer).encode()
        return io.BytesIO(body)


def reader_post(fields, **overrides):
    """What a reader's browser posts for `fields`: with the CAPTCHA token and the empty honeypot,
    then `overrides` (a None leaves that field out)."""
    data = {**fields, "captcha": "token-from-the-browser", "website": "", **overrides}
    return {key: value for key, value in data.items() if value is not None}


def google_unreachable(status, reasons, score):
    """Parameters for a table of submission outcomes: each way Google can fail to answer, with the
    status, hold reasons and score the submission must then be stored with."""
    failures = {
        "google-503": HTTPError("https://www.google.com", 503, "down", {}, None),
        "refused": URLError(ConnectionRefusedError(111, "refused")),
        "timeout": TimeoutError("timed out"),
    }
    return [pytest.param({"error": error}, status, reasons, score, id=name) for name, error in failures.items()]

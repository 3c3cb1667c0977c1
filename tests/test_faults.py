"""Faults without loss: a broken CAPTCHA service, mail server, database or media disk never costs
an acknowledged submission and never shows the 500 page.

The reCAPTCHA faults run against a fake verification server on 127.0.0.1 (a `http.server`
thread). django-recaptcha always builds `https://<RECAPTCHA_DOMAIN>/recaptcha/api/siteverify`;
the fake speaks plain HTTP, so `django_recaptcha.client.Request` is patched to rewrite the
scheme and nothing else: the library's own opener, timeout and JSON parsing do the rest.
"""

import contextlib
import errno
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock
from urllib.request import Request

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse
from django_recaptcha.client import recaptcha_request as real_recaptcha_request

from articles.models import Clinician
from articles.tests.factories import make_image_file
from comments.models import Comment
from core.admin_uploads import UPLOAD_FAILED_MESSAGE
from core.models import OutgoingEmail, SiteSettings
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]

COMMENT = {
    "name": "Ana Reader",
    "email": "ana@example.com",
    "body": "Gentle walks helped my back <more than pills>.\nThank you.",
    "captcha": "token-from-the-browser",
    "website": "",
}
TOPIC = {"topic": "Sleeping with sciatica", "details": "Which positions help?", "captcha": "token", "website": ""}


def free_port():
    """A loopback port nobody listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- A fake reCAPTCHA verification server ----------------------------------------------------


class FakeVerifier(BaseHTTPRequestHandler):
    mode = "ok"  # ok, slow, error, garbage
    slow_seconds = 3

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.server.mode == "slow":
            time.sleep(self.slow_seconds)
        if self.server.mode == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"Internal error")
            return
        body = b"<html>not json" if self.server.mode == "garbage" else json.dumps(self.server.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up waiting (the "slow" case)
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def verifier(settings, recaptcha_keys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeVerifier)
    server.daemon_threads = True
    server.block_on_close = False
    server.mode = "ok"
    server.answer = {"success": True, "score": 0.9, "action": "comment", "hostname": "testserver"}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.RECAPTCHA_DOMAIN = f"127.0.0.1:{server.server_address[1]}"
    settings.RECAPTCHA_VERIFY_REQUEST_TIMEOUT = 1

    def plain_http(url, *args, **kwargs):
        return Request(url.replace("https://", "http://", 1), *args, **kwargs)

    with (
        mock.patch("django_recaptcha.client.recaptcha_request", real_recaptcha_request),
        mock.patch("django_recaptcha.client.Request", plain_http),
    ):
        yield server
    server.shutdown()
    server.server_close()


def post_comment(client, article):
    return client.post(reverse("comments:post", kwargs={"slug": article.slug}), COMMENT)


def test_the_fake_verifier_answers_like_google_when_healthy(client, article, verifier):
    """The control: with the fake server healthy, the score it sends lands on the comment."""
    response = post_comment(client, article)
    assert response.status_code == 302
    assert Comment.objects.get().captcha_score == 0.9


@pytest.mark.parametrize("mode", ["slow", "error", "garbage"])
def test_a_failing_captcha_service_holds_the_comment_instead_of_losing_it(client, article, verifier, mode):
    verifier.mode = mode
    started = time.monotonic()
    response = post_comment(client, article)
    assert response.status_code == 302
    assert time.monotonic() - started < 3, "the verification timeout was not honoured"
    comment = Comment.objects.get()
    assert comment.body == COMMENT["body"].strip()
    assert comment.status == Comment.Status.PENDING
    assert "captcha_unverifiable" in comment.hold_reasons
    assert "awaiting moderation" in client.get(response["Location"]).content.decode().lower()


def test_a_refused_connection_to_the_captcha_service_holds_the_comment(client, article, verifier, settings):
    settings.RECAPTCHA_DOMAIN = f"127.0.0.1:{free_port()}"
    response = post_comment(client, article)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and "captcha_unverifiable" in comment.hold_reasons


@pytest.mark.parametrize("mode", ["slow", "error", "garbage"])
def test_a_failing_captcha_service_keeps_the_topic_suggestion(client, db, verifier, mode):
    verifier.mode = mode
    response = client.post(reverse("topics:suggest"), TOPIC)
    assert response.status_code == 302
    suggestion = TopicSuggestion.objects.get()
    assert suggestion.topic == TOPIC["topic"] and "captcha_unverifiable" in suggestion.hold_reasons


# --- The mail server is down ----------------------------------------------------------------


@pytest.fixture
def mail_server_down(settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2
    site = SiteSettings.load()
    site.moderator_emails = "front-desk@clinic.example"
    site.save()


def test_a_comment_is_kept_when_the_mail_server_is_down(
    client, article, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, article)
    assert response.status_code == 302
    assert Comment.objects.get().body == COMMENT["body"].strip()
    assert any("Could not send" in record.getMessage() for record in caplog.records)
    [email] = OutgoingEmail.objects.all()  # kept for the next attempt, with the reason
    assert email.status == OutgoingEmail.Status.QUEUED and email.attempts == 1 and email.last_error


def test_a_suggestion_is_kept_when_the_mail_server_is_down(
    client, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("topics:suggest"), TOPIC)
    assert response.status_code == 302
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED
    assert TopicSuggestion.objects.get().topic == TOPIC["topic"]


# --- The database refuses connections for a moment ------------------------------------------


class RefuseOnce:
    """An execute wrapper: the first statement matching `sql_start` fails as if the connection dropped.

    With `after=True` the statement runs first, so a row is half-written inside the transaction.
    """

    def __init__(self, sql_start, *, after=False, error=OperationalError):
        self.sql_start = sql_start
        self.after = after
        self.error = error
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        if not self.fired and sql.lstrip().upper().startswith(self.sql_start):
            self.fired = True
            if self.after:
                execute(sql, params, many, context)
            raise self.error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize("after", [False, True], ids=["refused-before-the-write", "dropped-after-the-write"])
def test_a_dropped_database_during_a_comment_shows_try_again_with_the_text_kept(client, article, after, error):
    refuse = RefuseOnce('INSERT INTO "COMMENTS_COMMENT"', after=after, error=error)
    with connection.execute_wrapper(refuse):
        response = post_comment(client, article)
    assert refuse.fired
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "Please try again in a moment" in page
    assert "Gentle walks helped my back &lt;more than pills&gt;." in page
    assert f'action="{reverse("comments:post", kwargs={"slug": article.slug})}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "token-from-the-browser" not in page
    assert Comment.objects.count() == 0, "no half-written row may remain"

    again = post_comment(client, article)
    assert again.status_code == 302
    assert Comment.objects.get().body == COMMENT["body"].strip()


def test_a_refused_connection_during_a_suggestion_shows_try_again(client, db):
    calls = {"n": 0}
    real = connection.ensure_connection

    def refuse_first(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("connection refused")
        return real(*args, **kwargs)

    with mock.patch.object(connection, "ensure_connection", refuse_first):
        response = client.post(reverse("topics:suggest"), TOPIC)
    assert calls["n"] >= 1
    assert response.status_code == 503
    assert "Which positions help?" in response.content.decode()
    assert TopicSuggestion.objects.count() == 0


def test_the_try_again_page_never_shows_a_password_back(client, db):
    refuse = RefuseOnce("SELECT")
    with connection.execute_wrapper(refuse):
        response = client.post(reverse("admin:login"), {"username": "chief", "password": "s3cret-Pa55"})
    assert response.status_code == 503
    assert "s3cret-Pa55" not in response.content.decode()
    assert 'value="chief"' in response.content.decode()


# --- The media disk is full -----------------------------------------------------------------


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def clinician_form(**overrides):
    data = {"name": "Dr Ana Ortiz", "slug": "dr-ana-ortiz", "credentials": "MD", "role": "", "bio": "Kind words."}
    data.update({"photo_alt": "Dr Ortiz smiling", "photo": make_image_file("ortiz.jpg", size=(900, 600))}, **overrides)
    return data


def test_a_full_disk_during_an_upload_is_a_clear_admin_message(admin_client):
    with mock.patch("django.core.files.storage.FileSystemStorage._save", disk_full):
        response = admin_client.post(reverse("admin:articles_clinician_add"), clinician_form())
    assert response.status_code == 200
    assert str(UPLOAD_FAILED_MESSAGE) in response.content.decode()
    assert 'value="Dr Ana Ortiz"' in response.content.decode(), "what the editor typed is kept"
    assert Clinician.objects.count() == 0

    again = admin_client.post(reverse("admin:articles_clinician_add"), clinician_form())
    assert again.status_code == 302
    assert Clinician.objects.get().picture


@pytest.mark.parametrize("admin_page", ["admin:articles_article_change", "admin:shop_product_change"])
def test_a_full_disk_while_replacing_an_image_leaves_the_row_as_it_was(admin_client, admin_page, article):
    from shop.tests.factories import make_product

    target = article if "article" in admin_page else make_product(name="Warm cream", slug="warm-cream")
    url = reverse(admin_page, args=[target.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or name in ("hero_image", "image"):
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            formatted = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
            data[name] = "" if formatted is None else formatted
    for inline in admin_client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() or 0 for n in management.fields})
    if "publish_at" in data:
        local = form["publish_at"].value()
        data.pop("publish_at")
        data["publish_at_0"], data["publish_at_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    image_field, alt_field = ("hero_image", "hero_alt") if "article" in admin_page else ("image", "image_alt")
    data[image_field] = make_image_file("new.jpg", size=(900, 600))
    data[alt_field] = "A new picture"
    before = type(target).objects.get(pk=target.pk)

    with mock.patch("django.core.files.storage.FileSystemStorage._save", disk_full):
        response = admin_client.post(url, data)

    assert response.status_code == 200, response.status_code
    assert str(UPLOAD_FAILED_MESSAGE) in response.content.decode()
    after = type(target).objects.get(pk=target.pk)
    assert not getattr(after, image_field)
    assert getattr(after, alt_field) == getattr(before, alt_field)


def test_the_try_again_page_needs_no_database(rf, django_assert_num_queries):
    """It is shown when the database is down, so rendering it must not ask the database anything."""
    from core.resilience import try_again_response

    request = rf.post("/topics/suggest/", {"topic": "Sleep", "password": "hidden", "notify_when_published": "on"})
    with django_assert_num_queries(0):
        response = try_again_response(request)
    page = response.content.decode()
    assert response.status_code == 503
    assert 'value="Sleep"' in page and "hidden" not in page.replace('type="hidden"', "")


def test_a_lost_database_on_a_page_view_is_left_to_the_500_handler(client, article):
    """Only POSTs carry a reader's words; a GET has nothing to keep, so the middleware stays out of it."""
    with connection.execute_wrapper(RefuseOnce("SELECT")), pytest.raises(OperationalError):
        client.get(article.get_absolute_url())

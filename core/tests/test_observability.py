"""Liveness and readiness, one JSON log line per request, and a cache outage that costs no error page."""

import json
import logging
from unittest import mock

import pytest
from django.db.utils import OperationalError

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_liveness_needs_nothing_but_the_process(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_readiness_checks_database_cache_and_storage(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok", "tasks": "ok"}


@pytest.mark.parametrize(
    ("failing", "part"),
    [
        ("django.db.backends.utils.CursorWrapper.execute", "database"),
        ("django.core.cache.cache.set", "cache"),
        ("django.core.files.storage.default_storage.exists", "storage"),
    ],
)
def test_readiness_fails_when_one_part_fails(client, failing, part):
    with mock.patch(failing, side_effect=OperationalError("down")):
        response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()[part] == "unavailable"


def test_the_old_health_address_still_answers(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


def request_lines(caplog):
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == "clinic.requests"]


def test_each_request_logs_one_json_line(client, caplog, settings):
    settings.INSTANCE_NAME = "web2"
    article = make_article()
    with caplog.at_level(logging.INFO, logger="clinic.requests"):
        response = client.get(article.get_absolute_url() + "?email=reader@example.org", HTTP_X_REQUEST_ID="abc-123")
    [line] = request_lines(caplog)
    assert line["request_id"] == "abc-123" == response["X-Request-ID"]
    assert line["status"] == 200 and line["method"] == "GET" and line["instance"] == "web2"
    assert line["path"] == article.get_absolute_url()
    assert line["duration_ms"] >= 0 and line["cache"] == "-"
    assert "reader@example.org" not in json.dumps(line)


def test_the_log_line_blanks_the_token_of_an_unsubscribe_link(client, caplog):
    with caplog.at_level(logging.INFO, logger="clinic.requests"):
        client.get("/topics/unsubscribe/a-reader-s-own-key/")
    assert request_lines(caplog)[-1]["path"] == "/topics/unsubscribe/[token]/"


def test_the_log_line_tells_a_page_cache_hit(client, caplog, page_cache):
    article = make_article()
    client.get(article.get_absolute_url())
    with caplog.at_level(logging.INFO, logger="clinic.requests"):
        client.get(article.get_absolute_url())
    assert request_lines(caplog)[-1]["cache"] == "hit"


@pytest.mark.parametrize(
    ("method", "path", "cache", "instance"),
    [
        ("GET", "/articles/knees/", "hit", "web1"),
        ("PROPFIND", '/a "quoted" \\ back\tslash/', "-", "vm-ü"),
        ("GET", "/artículos/rodilla-😀/\u2028/", "miss", 'odd "name"'),
    ],
)
def test_the_log_line_is_the_json_of_its_fields(method, path, cache, instance):
    from core.middleware import request_log_line

    fields = {
        "request_id": "abc-123",
        "method": method,
        "path": path,
        "status": 404,
        "duration_ms": 12.3,
        "cache": cache,
        "instance": instance,
    }
    line = request_log_line(*fields.values())
    assert line == json.dumps(fields, separators=(",", ":"))
    assert json.loads(line) == fields


def test_a_path_with_quotes_and_newlines_stays_on_one_valid_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="clinic.requests"):
        client.get('/no-such-page/"%0Aline%22two/')
    [line] = [record.getMessage() for record in caplog.records if record.name == "clinic.requests"]
    assert "\n" not in line
    assert json.loads(line)["path"] == '/no-such-page/"\nline"two/'


@pytest.mark.parametrize("offered", ["", "x" * 65, "bad id", "<script>", "a\nb"])
def test_a_malformed_request_id_is_replaced(client, caplog, offered):
    with caplog.at_level(logging.INFO, logger="clinic.requests"):
        response = client.get("/robots.txt", HTTP_X_REQUEST_ID=offered)
    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


def test_an_unreachable_redis_answers_as_an_empty_cache():
    from core.cache import ForgivingRedisCache

    cache = ForgivingRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get("anything", default=3) == 3
    assert cache.set("a", 1) is None
    assert cache.add("a", 1) is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("a") is False
    assert cache.touch("a", 60) is False
    with pytest.raises(ValueError):
        cache.incr("a")


def test_sentry_is_off_without_a_dsn(settings):
    import sentry_sdk

    assert not settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_errors_go_to_sentry_without_personal_data():
    import importlib
    import os

    import clinic_site.settings as module

    try:
        with (
            mock.patch.dict(os.environ, {"SENTRY_DSN": "https://key@sentry.example.org/1", "INSTANCE_NAME": "web3"}),
            mock.patch("sentry_sdk.init") as init,
        ):
            importlib.reload(module)
        init.assert_called_once()
        assert init.call_args.kwargs["send_default_pii"] is False
        assert init.call_args.kwargs["dsn"] == "https://key@sentry.example.org/1"
        assert init.call_args.kwargs["server_name"] == "web3"
    finally:
        importlib.reload(module)

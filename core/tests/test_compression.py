"""Pages, feeds, the sitemap and JSON go over the wire compressed; static files and images are
left to whitenoise and nginx, and a response already encoded is never encoded twice."""

import gzip
import json

import brotli
import pytest
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db

LONG_BODY = "\n\n".join(f"## Part {n}\n\nGentle movement and steady sleep help a sore back heal." for n in range(40))


@pytest.fixture
def article():
    return make_article(title="Moving with a sore back", body=LONG_BODY)


def _get(url, encoding, **extra):
    return Client().get(url, HTTP_ACCEPT_ENCODING=encoding, **extra)


def _addresses(article):
    return {
        "article": article.get_absolute_url(),
        "rss": reverse("articles:feed"),
        "atom": reverse("articles:feed_atom"),
        "sitemap": reverse("sitemap"),
        "home": "/",
    }


@pytest.mark.parametrize("page", ["article", "rss", "atom", "sitemap", "home"])
def test_a_page_is_sent_gzipped_to_a_client_that_accepts_gzip(article, page):
    plain = _get(_addresses(article)[page], "identity")
    packed = _get(_addresses(article)[page], "gzip, deflate")
    assert packed.status_code == plain.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
    assert gzip.decompress(packed.content).startswith(plain.content[:20])


@pytest.mark.parametrize("page", ["article", "rss", "sitemap"])
def test_brotli_is_preferred_when_the_client_accepts_it(article, page):
    packed = _get(_addresses(article)[page], "gzip, deflate, br")
    assert packed["Content-Encoding"] == "br"
    assert brotli.decompress(packed.content).lstrip().startswith(b"<")


def test_a_client_that_accepts_nothing_gets_plain_text_and_is_told_why_it_varies(article):
    plain = _get(article.get_absolute_url(), "")
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    assert plain.content.lower().startswith(b"<!doctype html>")


def test_gzip_refused_with_q_zero_is_not_sent(article):
    assert not _get(article.get_absolute_url(), "gzip;q=0, br;q=0").has_header("Content-Encoding")
    assert _get(article.get_absolute_url(), "br;q=0, gzip")["Content-Encoding"] == "gzip"


def test_json_answers_are_compressed(rf):
    from django.http import JsonResponse

    from core.compression import CompressionMiddleware

    data = {"articles": [{"title": f"Article {n}", "minutes": n} for n in range(50)]}
    answer = CompressionMiddleware(lambda request: JsonResponse(data))(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))
    assert answer["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(answer.content)) == data


def test_the_same_page_compresses_to_different_lengths_against_breach(article):
    lengths = {len(_get(article.get_absolute_url(), "gzip").content) for _ in range(12)}
    assert len(lengths) > 1


def test_a_compressed_page_has_a_weak_etag_and_still_answers_304(article):
    url = reverse("sitemap")
    first = _get(url, "gzip")
    assert first["ETag"].startswith('W/"')
    again = _get(url, "gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_head_is_answered_with_the_compressed_length(article):
    head = Client().head(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert head["Content-Encoding"] == "gzip"
    assert int(head["Content-Length"]) > 0


def test_images_and_already_encoded_answers_pass_untouched(rf):
    from django.http import HttpResponse

    from core.compression import CompressionMiddleware

    image = HttpResponse(b"\x89PNG" + bytes(4000), content_type="image/png")
    encoded = HttpResponse(b"x" * 4000, content_type="text/html")
    encoded["Content-Encoding"] = "gzip"
    for response in (image, encoded):
        body = response.content
        answer = CompressionMiddleware(lambda request, response=response: response)(
            rf.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
        )
        assert answer.content == body


def test_a_tiny_answer_is_not_worth_compressing(rf):
    from django.http import HttpResponse

    from core.compression import CompressionMiddleware

    answer = CompressionMiddleware(lambda request: HttpResponse("<p>ok</p>"))(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))
    assert not answer.has_header("Content-Encoding")

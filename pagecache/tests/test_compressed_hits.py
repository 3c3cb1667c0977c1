"""A stored page is compressed once, when it is kept: a hit sends the stored compressed pieces
with this reader's own token and nonce compressed in between, one valid gzip stream."""

import gzip
import re
import zlib

import pytest
from django.test import Client

from articles.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
NONCE = re.compile(rb'nonce="([^"]+)"')
LONG_BODY = "\n\n".join(f"## Part {n}\n\nRest, then move a little more each day." for n in range(40))


@pytest.fixture
def url():
    article = make_article(title="Moving with a sore back", body=LONG_BODY)
    first = Client().get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert first["X-Page-Cache"] == "miss"
    return article.get_absolute_url()


def _hit(url, **extra):
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip", **extra)
    assert response["X-Page-Cache"] == "hit"
    return response


def _blank(content):
    return NONCE.sub(b'nonce="N"', TOKEN.sub(b'name="csrfmiddlewaretoken" value="T"', content))


def test_a_hit_is_gzip_with_a_fresh_token_and_the_rest_identical(url):
    one, two = _hit(url), _hit(url)
    assert one["Content-Encoding"] == two["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in one["Vary"]
    assert int(one["Content-Length"]) == len(one.content)
    first, second = gzip.decompress(one.content), gzip.decompress(two.content)
    assert TOKEN.search(first).group(1) != TOKEN.search(second).group(1)
    assert NONCE.search(first).group(1) != NONCE.search(second).group(1)
    assert _blank(first) == _blank(second)
    assert _blank(first) == _blank(Client().get(url, HTTP_ACCEPT_ENCODING="identity").content)


def test_a_hit_is_one_gzip_member_that_any_client_can_read(url):
    """Some clients stop after a stream's first member: the hit is a single member."""
    packed = _hit(url).content
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    content = reader.decompress(packed)
    assert reader.eof and reader.unused_data == b""
    assert content.rstrip().endswith(b"</html>")


def test_the_page_is_compressed_when_stored_not_on_each_hit(url, monkeypatch):
    compressed = []
    real = zlib.compressobj

    class Counting:
        def __init__(self, *args, **kwargs):
            self._inner = real(*args, **kwargs)

        def compress(self, data):
            compressed.append(len(data))
            return self._inner.compress(data)

        def flush(self, *args):
            return self._inner.flush(*args)

    monkeypatch.setattr(zlib, "compressobj", Counting)
    page = _hit(url)
    assert len(gzip.decompress(page.content)) > 10_000
    # Nothing is compressed for the hit: the page's pieces were when stored, the reader's own
    # (random, so incompressible) go as they are.
    assert compressed == []


def test_brotli_clients_still_get_gzip_from_a_stored_page(url):
    hit = Client().get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"


def test_a_client_without_gzip_gets_the_plain_stored_page(url):
    hit = Client().get(url, HTTP_ACCEPT_ENCODING="identity")
    assert hit["X-Page-Cache"] == "hit"
    assert not hit.has_header("Content-Encoding")
    assert "Accept-Encoding" in hit["Vary"]
    assert hit.content.lower().startswith(b"<!doctype html>")


def test_etag_and_304_still_work_for_compressed_hits(url):
    hit = _hit(url)
    assert hit["ETag"].startswith('W/"')
    again = Client().get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=hit["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    plain = Client().get(url, HTTP_ACCEPT_ENCODING="identity")
    assert plain["ETag"] != hit["ETag"]
    # If-None-Match compares weakly: the plain copy's tag matches the same page gzipped.
    assert Client().get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


def test_head_of_a_compressed_hit_gives_its_length(url):
    head = Client().head(url, HTTP_ACCEPT_ENCODING="gzip")
    assert head["X-Page-Cache"] == "hit"
    assert head["Content-Encoding"] == "gzip"
    assert int(head["Content-Length"]) > 0


def test_a_fresh_value_of_another_length_still_gives_the_right_page(url, monkeypatch):
    """The stored pieces point back by distance; a longer token must not shift what they copy."""
    from pagecache import splicing

    real = splicing.get_token
    monkeypatch.setattr(splicing, "get_token", lambda request: real(request) + "Longer")
    hit = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Page-Cache"] == "hit"
    content = gzip.decompress(hit.content) if hit.get("Content-Encoding") == "gzip" else hit.content
    assert TOKEN.search(content).group(1).endswith(b"Longer")
    assert _blank(content) == _blank(Client().get(url, HTTP_ACCEPT_ENCODING="identity").content)


def test_the_stored_pieces_may_point_back_across_a_splice_but_never_into_one():
    from pagecache import compression, splicing

    page = b"<p>" + b"repeated words " * 50 + b'value="' + b"A" * 64 + b'"' + b"repeated words " * 50 + b"AAAA</p>"
    start = page.index(b"A" * 64)
    splices = [(start, start + 64, splicing.CSRF)]
    deflated = compression.deflate_segments(page, splices)
    pieces = splicing.cut(page, splices)
    pieces[1] = b"B" * 64
    assert gzip.decompress(compression.gzip_from_pieces(pieces, deflated)) == page.replace(b"A" * 64, b"B" * 64)
    whole = len(gzip.compress(page))
    assert len(compression.gzip_from_pieces(pieces, deflated)) < whole + compression.MAX_RANDOM_BYTES + 80

"""Bytes a reader downloads for one page before the reCAPTCHA script: HTML plus its CSS and JS.

Raw is the uncompressed size. Gzip is what goes over the wire when asked for with
`Accept-Encoding: gzip`: whitenoise's pre-compressed file for CSS/JS, and the site's own gzip of
the HTML (Python's gzip at level 6 for a server that sends it plain). Images, the favicon and Google's reCAPTCHA script
(loaded only when a reader starts a form) are not counted.
"""

import gzip
import re
import urllib.parse
import urllib.request

_ASSET = re.compile(r"""<link\b[^>]*\brel=["']?stylesheet["']?[^>]*>|<script\b[^>]*\bsrc=[^>]*>""", re.IGNORECASE)
_URL = re.compile(r"""\b(?:href|src)=["']?([^"' >]+)""", re.IGNORECASE)


def _get(url, headers, encoding=None):
    request_headers = dict(headers)
    if encoding:
        request_headers["Accept-Encoding"] = encoding
    with urllib.request.urlopen(urllib.request.Request(url, headers=request_headers), timeout=30) as response:
        return response.read(), response.headers.get("Content-Encoding", "")


def asset_urls(page_url, html):
    urls = []
    for tag in _ASSET.findall(html):
        match = _URL.search(tag)
        if match:
            urls.append(urllib.parse.urljoin(page_url, match.group(1).replace("&amp;", "&")))
    return list(dict.fromkeys(urls))  # a browser downloads a file linked twice only once


def weigh(page_url, headers=None):
    """{"raw": bytes, "gzip": bytes, "assets": [...], "skipped": [...]} for page_url."""
    headers = headers or {}
    html, _encoding = _get(page_url, headers, encoding="identity")
    sent, encoding = _get(page_url, headers, encoding="gzip")
    raw, packed = len(html), len(sent) if encoding == "gzip" else len(gzip.compress(html, compresslevel=6))
    origin = urllib.parse.urlsplit(page_url)[:2]
    assets, skipped = [], []
    for url in asset_urls(page_url, html.decode("utf-8", "replace")):
        if urllib.parse.urlsplit(url)[:2] != origin:
            skipped.append(url)  # another host (a CDN, or Google's script) is not ours to count
            continue
        body, _ = _get(url, headers)
        compressed, encoding = _get(url, headers, encoding="gzip")
        gzip_size = len(compressed) if encoding == "gzip" else len(gzip.compress(body, compresslevel=6))
        assets.append({"url": urllib.parse.urlsplit(url).path, "raw": len(body), "gzip": gzip_size})
        raw += len(body)
        packed += gzip_size
    return {"raw": raw, "gzip": packed, "html_raw": len(html), "assets": assets, "skipped": skipped}

"""The reader's own parts of a stored page: where its CSRF token and CSP nonce were printed, and
fresh ones put in their place on each hit.

A stored page keeps the offsets of those values (`find`); a hit splices fresh values in at those
offsets (`fill`). Nothing in the content is searched for or replaced on a hit, so no text (a
comment quoting any string at all) can make the cache insert a secret.
"""

import hashlib
import re

from pagecache import compression
from pagecache.csrf_tokens import get_token

CSRF, NONCE = 0, 1
_CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')


def find(content, nonce):
    """(start, end, kind) of each CSRF token and nonce printed in `content`, in order; None when
    they overlap (then the page is not stored)."""
    splices = [(match.start(1), match.end(1), CSRF) for match in _CSRF_VALUE.finditer(content)]
    if nonce:
        needle = nonce.encode()
        start = content.find(needle)
        while start != -1:
            splices.append((start, start + len(needle), NONCE))
            start = content.find(needle, start + len(needle))
    splices.sort()
    for (_start, end, _kind), (next_start, _end, _next_kind) in zip(splices, splices[1:], strict=False):
        if next_start < end:
            return None
    return splices


def etag(content, splices):
    """The page's version for conditional GETs: a hash of everything but the reader's own parts,
    so a reader's browser may keep its copy (and its own token) while the page is unchanged."""
    digest, position = hashlib.sha256(), 0
    for start, end, _kind in splices:
        digest.update(content[position:start])
        position = end
    digest.update(content[position:])
    return f'"{digest.hexdigest()[:32]}"'


def cut(content, splices):
    """`content` cut at its splices: the page's own pieces, with CSRF or NONCE between them."""
    pieces, position = [], 0
    for start, end, kind in splices:
        pieces += [content[position:start], kind]
        position = end
    pieces.append(content[position:])
    return pieces


def _pieces(entry):
    """The stored page cut at its splices (odd items are CSRF or NONCE), once per copy in memory."""
    pieces = entry.get("pieces")
    if pieces is None:
        pieces = entry["pieces"] = cut(entry["content"], entry["splices"])
    return pieces


def carries_token(entry):
    """Whether the stored page prints a CSRF token (then each copy served is one reader's)."""
    return CSRF in _pieces(entry)[1::2]


def _filled(entry, request):
    """The stored page's pieces with a fresh token and nonce of `request`'s own in their places."""
    pieces = _pieces(entry)
    fresh = {}  # one token and one nonce per response, however many forms and scripts use them
    for kind in pieces[1::2]:
        if kind not in fresh:
            fresh[kind] = (get_token(request) if kind == CSRF else str(request.csp_nonce)).encode()
    return [fresh[piece] if index % 2 else piece for index, piece in enumerate(pieces)]


def fill(entry, request):
    """The stored page's content with a fresh token and nonce of `request`'s own."""
    pieces = _pieces(entry)
    if len(pieces) == 1:
        return pieces[0]
    return b"".join(_filled(entry, request))


def fill_gzip(entry, request):
    """`fill`, gzipped, from the pieces deflated when the page was stored (`entry["deflated"]`);
    None when a fresh value is not as long as the stored one (the pieces after it point back by
    distance), and then the page is sent as `fill` gives it."""
    filled = _filled(entry, request)
    if [len(value) for value in filled[1::2]] != [end - start for start, end, _kind in entry["splices"]]:
        return None
    return compression.gzip_from_pieces(filled, entry["deflated"])

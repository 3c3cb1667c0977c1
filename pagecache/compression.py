"""How pages go over the wire compressed: which encoding a client takes, and the compressed forms.

Every compressed answer has a random number of padding bytes (a gzip header's file name, a
Brotli metadata block), so its length says nothing exact about its content: the mitigation
against BREACH that Django's GZipMiddleware has had since 4.2.

A stored page is compressed once, when it is kept: each piece between its splice points is
deflated on its own, ending byte-aligned and pointing back only at the pieces before it
(`deflate_segments`). A hit then sends one gzip stream
(`gzip_from_pieces`): those stored blocks, with the reader's own token and nonce in between as
uncompressed deflate blocks (random values do not compress, and nothing of them shares a
compression window with the page). Brotli streams cannot be joined that way, so stored pages go
out as gzip and Brotli is used for pages rendered fresh.
"""

import secrets
import struct
import zlib

import brotli

MAX_RANDOM_BYTES = 100
MIN_LENGTH = 200  # below this the encoding's own overhead eats the gain (Django's threshold)
LEVEL = 6
BROTLI_QUALITY = 5  # close to gzip's speed, a tenth or so smaller; 11 is far too slow per request
COMPRESSIBLE_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/xml",
        "application/xml",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/json",
        "application/ld+json",
        "application/manifest+json",
    }
)

_FINAL_BLOCK = b"\x03\x00"  # an empty, last deflate block
_MASK = b"\xff"
_WINDOW = 32 * 1024


def compressible(content_type):
    return content_type.split(";", 1)[0].strip().lower() in COMPRESSIBLE_TYPES


def accepted(request, offered=("br", "gzip")):
    """The first of `offered` that the request's Accept-Encoding takes (q above 0), or None."""
    weights = {}
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, parameters = part.strip().partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name:
            weights[name.strip().lower()] = weight
    for encoding in offered:
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return None


def _padding_length():
    return secrets.randbelow(MAX_RANDOM_BYTES + 1)


def _gzip_header():
    """A gzip member's header naming a file of random length (the bytes are never used)."""
    name = b"a" * _padding_length() + b"\0"
    return b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + name


def deflate(data):
    """`data` as deflate blocks that end byte-aligned and refer to nothing before them."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


def _stored(data):
    """`data` as uncompressed deflate blocks."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def deflate_segments(content, splices):
    """The page's own pieces (between `splices`) deflated each on its own, once, or None.

    Each piece may point back into the page before it (the window a reader's decompressor holds),
    but never into a splice: those bytes are masked with 0xFF, which UTF-8 text never holds, so no
    match can cover them and a fresh value of the same length leaves every distance right.
    """
    if _MASK in content:
        return None
    masked, bounds, position = bytearray(content), [], 0
    for start, end, _kind in splices:
        masked[start:end] = _MASK * (end - start)
        bounds.append((position, start))
        position = end
    bounds.append((position, len(content)))
    deflated = []
    for start, end in bounds:
        history = bytes(masked[max(0, start - _WINDOW) : start])
        packer = (
            zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=history)
            if history
            else zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        )
        deflated.append(packer.compress(content[start:end]) + packer.flush(zlib.Z_SYNC_FLUSH))
    return deflated


def gzip_from_pieces(pieces, deflated):
    """One gzip stream of `pieces`: even ones from `deflated`, odd ones (the reader's own, each as
    long as the value it replaces) sent as they are."""
    out, crc, size = [_gzip_header()], 0, 0
    for index, piece in enumerate(pieces):
        crc, size = zlib.crc32(piece, crc), size + len(piece)
        out.append(deflated[index // 2] if index % 2 == 0 else _stored(piece))
    out += [_FINAL_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(out)


def gzip_compress(data):
    return gzip_from_pieces([data], [deflate(data)])


def brotli_compress(data):
    """Brotli with a metadata block of random length ahead of the content (readers skip it)."""
    packer = brotli.Compressor(quality=BROTLI_QUALITY)
    head = packer.process(b"") + packer.flush()  # byte-aligned: a whole block may follow
    length = _padding_length()
    if length:
        # ISLAST=0, MNIBBLES=0 (code 3), reserved 0, MSKIPBYTES=1, then MSKIPLEN-1; then the skipped bytes.
        head += struct.pack("<H", (3 << 1) | (1 << 4) | ((length - 1) << 6)) + b"\0" * length
    return head + packer.process(data) + packer.finish()


def weak_etag(etag):
    """A compressed body is not byte-for-byte the plain one: its ETag may only be weak."""
    return etag if not etag or etag.startswith("W/") else f"W/{etag}"

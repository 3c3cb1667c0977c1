"""CSRF tokens for pages answered from the page cache, at the cost of one random read.

Django's `get_token` draws each of its 64 random characters with a separate system call, which
is a fifth of the cost of a cached page. This produces the same thing — a secret kept in the
reader's CSRF cookie and a masked token for the form, in Django's format, checked by Django's
own CsrfViewMiddleware — from a single `os.urandom` read.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: position for position, char in enumerate(_CHARS)}
# Bytes at or above this are dropped so each character is equally likely (248 = 4 × 62).
_UNBIASED_BELOW = 256 - 256 % len(_CHARS)


# Random bytes below 248 become character positions 0-61 (four byte values each); the rest are dropped.
_BYTE_TO_POSITION = bytes(byte % len(_CHARS) if byte < _UNBIASED_BELOW else 0 for byte in range(256))
_DROPPED = bytes(range(_UNBIASED_BELOW, 256))
_POSITION_TO_CHAR = _CHARS.encode().ljust(256, b"?")
_CHAR_TO_POSITION = bytes(_INDEX.get(chr(byte), 0) for byte in range(256))
# The sum of two positions (0-122) back to a character, wrapping around the alphabet.
_SUM_TO_CHAR = bytes(ord(_CHARS[total % len(_CHARS)]) for total in range(2 * len(_CHARS))).ljust(256, b"?")


def _random_positions(length):
    positions = b""
    while len(positions) < length:
        positions += os.urandom(length + length // 4).translate(_BYTE_TO_POSITION, _DROPPED)
    return positions[:length]


def random_chars(length):
    """`length` characters drawn uniformly from Django's CSRF alphabet."""
    return _random_positions(length).translate(_POSITION_TO_CHAR).decode("ascii")


def masked_token(secret):
    """The form token for `secret`: a fresh mask, then the secret shifted by it (as Django does)."""
    mask = _random_positions(CSRF_SECRET_LENGTH)
    secret_positions = secret.encode("ascii").translate(_CHAR_TO_POSITION)
    cipher = bytes(map(int.__add__, secret_positions, mask)).translate(_SUM_TO_CHAR)
    return (mask.translate(_POSITION_TO_CHAR) + cipher).decode("ascii")


def get_token(request):
    """Like `django.middleware.csrf.get_token`: reuse the reader's secret or start one.

    CsrfViewMiddleware has already read a valid cookie into `request.META["CSRF_COOKIE"]`, and
    sends the cookie (new or renewed) on the way out when `CSRF_COOKIE_NEEDS_UPDATE` is set.
    """
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        secret = random_chars(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked_token(secret)

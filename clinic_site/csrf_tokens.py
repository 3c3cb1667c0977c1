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


# Each random byte below 248 becomes one character of the alphabet; the bytes above are dropped.
_BYTE_TO_CHAR = bytes(ord(_CHARS[byte % len(_CHARS)]) if byte < _UNBIASED_BELOW else 0 for byte in range(256))
_DROPPED = bytes(range(_UNBIASED_BELOW, 256))


def random_chars(length):
    """`length` characters drawn uniformly from Django's CSRF alphabet."""
    chars = b""
    while len(chars) < length:
        chars += os.urandom(length + length // 4).translate(_BYTE_TO_CHAR, _DROPPED)
    return chars[:length].decode("ascii")


def masked_token(secret):
    """The form token for `secret`: a fresh mask, then the secret shifted by it (as Django does)."""
    mask = random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(_CHARS[(_INDEX[s] + _INDEX[m]) % len(_CHARS)] for s, m in zip(secret, mask, strict=True))
    return mask + cipher


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

"""Collected static files: whitenoise's hashed and compressed copies, without the comments of the
site's own stylesheets and scripts.

The sources in `static/` keep their explanations; readers need not download them (about 0.9 KB gzip
of every article page). Only comments that cannot be anything else are dropped: in CSS every
comment outside a string; in JavaScript only comments that fill whole lines, and none at all in a
file with template literals or continued strings. `/*! ... */` comments (licences) stay.
Third-party files (the admin's) are copied as they are.
"""

import re

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

OWN_FOLDERS = ("css/", "js/")
_COMMENT = r"/\*(?!!)(?:[^*]|\*(?!/))*\*/"  # never runs past its own end
_CSS_STRING_OR_COMMENT = re.compile(r""""(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|""" + _COMMENT)
_JS_COMMENT_LINES = re.compile(r"^[ \t]*(?:" + _COMMENT + r"|//[^\n]*)[ \t]*\n", re.M)
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)
_BLANK_LINES = re.compile(r"\n{2,}")


def compact_css(text):
    without = _CSS_STRING_OR_COMMENT.sub(lambda match: "" if match.group().startswith("/*") else match.group(), text)
    return _BLANK_LINES.sub("\n", _TRAILING_SPACE.sub("", without)).lstrip("\n")


def compact_js(text):
    if "`" in text or re.search(r"\\\n", text):
        return text
    return _BLANK_LINES.sub("\n", _JS_COMMENT_LINES.sub("", text)).lstrip("\n")


def compact(name, text):
    """`text` of the static file `name` as readers get it."""
    if not name.startswith(OWN_FOLDERS):
        return text
    if name.endswith(".css"):
        return compact_css(text)
    if name.endswith(".js"):
        return compact_js(text)
    return text


def _is_compacted(name):
    return bool(name) and name.startswith(OWN_FOLDERS) and name.endswith((".css", ".js"))


def _compacted(name, content):
    content.seek(0)
    text = content.read()
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    return ContentFile(compact(name, text).encode("utf-8"))


class CompactStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def file_hash(self, name, content=None):
        """The hash in the file's name is of the bytes readers get."""
        if content is not None and _is_compacted(name):
            content = _compacted(name, content)
        return super().file_hash(name, content)

    def _save(self, name, content):
        if _is_compacted(name):
            content = _compacted(name, content)
        return super()._save(name, content)

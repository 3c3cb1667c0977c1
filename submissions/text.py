"""Readers' plain text as safe HTML: paragraphs and line breaks kept, addresses linked, the rest escaped."""

import re

from django.utils.html import urlize
from django.utils.safestring import mark_safe

LINK_REL = "nofollow ugc noopener"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINK = re.compile(r"(https?://|www\.)\S+|\b[\w.-]+\.(com|org|net|info|ru|xyz|top|io|biz)\b", re.IGNORECASE)


def render_plain_text(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        # urlize escapes everything that is not a link; the only rel attribute in its output is its own.
        html = urlize(paragraph, nofollow=True, autoescape=True).replace('rel="nofollow"', f'rel="{LINK_REL}"')
        paragraphs.append("<p>" + html.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))  # noqa: S308  (built from escaped text above)


def count_links(text):
    """How many web addresses a text holds, written out or bare (spam comments are link-heavy)."""
    return len(_LINK.findall(text or ""))

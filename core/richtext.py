"""Editor text to safe HTML: Markdown for the people writing, nh3 for the people reading.

Editors write Markdown (headings, emphasis, lists, links, quotes) with a toolbar in the
admin. Whatever they type, raw HTML included, passes through nh3 before it is stored, so
no script, event handler, `javascript:` URL or style attribute can reach a page.
"""

import html
import re

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions.toc import TocExtension

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "a", "blockquote", "code", "pre", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Headings inside an article start at h2: the page title is the only h1.
_H1 = re.compile(r"<(/?)h1(\W)")


def _heading_id(value, separator):
    return "s-" + (slugify(value) or "section")


def sanitize_html(value):
    """Keep only the tags and attributes an article needs; drop everything else."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# An image placed in the text: a paragraph of its own holding `[image:<id>]`.
_FIGURE = re.compile(r"<p>\[image:([0-9]{1,18})\]</p>")


def render_markdown(source, *, figures=None):
    """Return `(html, toc)` for editor Markdown; `toc` lists h2/h3 headings for the page.

    `figures` maps image ids to their `<figure>` markup (built from the image's own record, with
    its alt text and caption escaped); it is put in after sanitising, in place of each
    `[image:<id>]` line. A line naming an image that is not there is dropped.
    """
    converter = markdown.Markdown(
        extensions=[TocExtension(toc_depth="2-3", slugify=_heading_id), "sane_lists", "tables"],
        output_format="html",
    )
    rendered = converter.convert(source or "")
    rendered = _H1.sub(r"<\1h2\2", rendered)
    toc = []
    for token in _flatten(converter.toc_tokens):
        if token["level"] in (2, 3):
            toc.append({"id": token["id"], "title": html.unescape(token["name"]), "level": token["level"]})
    figures = figures or {}
    body = _FIGURE.sub(lambda match: figures.get(int(match.group(1)), ""), sanitize_html(rendered))
    return body, toc


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))


def word_count(source):
    return len(re.findall(r"\w+", source or ""))

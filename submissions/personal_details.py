"""Personal identifiers in what a reader writes in public: phone numbers, email addresses, dates
of birth, street addresses and health-record or insurance numbers.

Readers in pain sometimes post these in a comment to get help faster; once public they cannot
be taken back. The rules are tuned to miss doses, times, prices, years and spinal levels
("L4-L5"), which fill a pain clinic's comments: a false alarm teaches readers to ignore the
warning. static/js/privacy-guard.js mirrors the simpler of these rules while the reader types;
this module is the one the server trusts.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

PHONE = "phone"
EMAIL = "email"
DATE_OF_BIRTH = "date_of_birth"
ADDRESS = "address"
RECORD_NUMBER = "record_number"

KIND_LABELS = {
    PHONE: _("a phone number"),
    EMAIL: _("an email address"),
    DATE_OF_BIRTH: _("a date of birth"),
    ADDRESS: _("a home address"),
    RECORD_NUMBER: _("an NHS, hospital or insurance number"),
}

REDACTED = "[removed]"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_NUMERIC_DATE = r"(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2})"
_WRITTEN_DATE = rf"(?:{_DAY}\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}|{_MONTHS}\s+{_DAY},?\s+\d{{4}})"
_ANY_DATE = rf"(?:{_NUMERIC_DATE}|{_WRITTEN_DATE}|{_DAY}\s+(?:of\s+)?{_MONTHS}|{_MONTHS}\s+{_DAY})"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# Numbers written near words that say what they are.
_RECORD = re.compile(
    r"\b(?:MRN|NHS\s*(?:no\.?|num(?:ber)?|#)?|hospital\s+(?:no\.?|number)|patient\s+(?:id|no\.?|number)|"
    r"medical\s+record\s+(?:no\.?|number)|(?:insurance\s+)?policy\s*(?:no\.?|number|#)?|"
    r"member(?:ship)?\s*(?:id|no\.?|number|#)|insurance\s+(?:id|no\.?|number))"
    r"\s*(?:is\s+|was\s+|:|#|-)?\s*([A-Z]{0,4}[-\s]?\d[\d\s-]{3,18}\d)",
    re.IGNORECASE,
)
_TEN_DIGITS = re.compile(r"(?<![\d/.-])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?![\d/-]|\.\d)")

_PHONES = [
    # International: +44 7700 900123, +1 (415) 555-0132, 0044 20 7946 0958.
    re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}(?![\d/])"),
    # UK: 07700 900123, (020) 7946 0958, 0161-496-0000, 01632 960001.
    re.compile(r"(?<![\w/.-])\(?0\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\d/]|\.\d)"),
    # US: (415) 555-0132, 415-555-0132, 415.555.0132, 415 555 0132.
    re.compile(r"(?<![\w/.-])(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d/]|\.\d)"),
]

_BIRTH_WORDS = r"(?:born|b\.|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*day|birth\s+date)"
_DATE_OF_BIRTH = [
    re.compile(rf"\b{_BIRTH_WORDS}(?:\s+\w+){{0,3}}?[\s:,-]*({_ANY_DATE})", re.IGNORECASE),
    re.compile(rf"({_ANY_DATE})[\s,]*\(?(?:is\s+)?(?:my\s+)?{_BIRTH_WORDS}", re.IGNORECASE),
]
_FULL_DATE = re.compile(rf"(?<![\w/.-])({_NUMERIC_DATE}|{_WRITTEN_DATE})(?![\w/])", re.IGNORECASE)

_STREET_WORDS = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Crescent|Cres|Court|Ct|Place|Pl|Terrace|"
    r"Grove|Gardens|Boulevard|Blvd|Square|Sq|Mews|Row|Parade|Walk|Highway|Hwy)"
)
# A house number, one to three capitalised name words, a street word: "12 Acacia Avenue".
_STREET = re.compile(rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][a-z']+\s+){{1,3}}{_STREET_WORDS}\b\.?")
# "I live at 4 high street", "my address is 22 the crescent": lower case after an address word.
_LIVE_AT = re.compile(
    rf"\b(?:live\s+at|living\s+at|address\s+is|address:|lives\s+at)\s+(\d{{1,5}}[A-Za-z]?,?\s+(?:[\w']+\s+){{0,3}}"
    rf"{_STREET_WORDS})\b",
    re.IGNORECASE,
)
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")
_US_ZIP4 = re.compile(r"\b\d{5}-\d{4}\b")
_US_STATE_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_ADDRESS_WORDS = re.compile(
    rf"\b(?:address|live|living|lives|postcode|post\s+code|zip|{_STREET_WORDS})\b|,", re.IGNORECASE
)


def _digits(text):
    return sum(character.isdigit() for character in text)


def nhs_number_is_valid(digits):
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _phone_findings(text):
    for pattern in _PHONES:
        for match in pattern.finditer(text):
            value = match.group(0).rstrip()
            digits = _digits(value)
            international = value.startswith(("+", "00"))
            if (8 if international else 10) <= digits <= (15 if international else 11):
                yield Finding(PHONE, match.start(), match.start() + len(value))


def _record_findings(text):
    for match in _RECORD.finditer(text):
        if _digits(match.group(1)) >= 5:
            yield Finding(RECORD_NUMBER, match.start(1), match.end(1))
    for match in _TEN_DIGITS.finditer(text):
        if nhs_number_is_valid("".join(match.groups())):
            yield Finding(RECORD_NUMBER, match.start(), match.end())


def _is_birth_year(value):
    """A full date old enough to be a reader's birth date rather than an appointment."""
    years = re.findall(r"\d{4}", value)
    return bool(years) and 1900 <= int(years[-1]) <= date.today().year - 12


def _date_findings(text):
    for pattern in _DATE_OF_BIRTH:
        for match in pattern.finditer(text):
            yield Finding(DATE_OF_BIRTH, match.start(1), match.end(1))
    for match in _FULL_DATE.finditer(text):
        if _is_birth_year(match.group(1)):
            yield Finding(DATE_OF_BIRTH, match.start(1), match.end(1))


def _near_address_words(text, start, end, reach=60):
    before = text[max(0, start - reach) : start]
    after = text[end : end + 20]
    return bool(_ADDRESS_WORDS.search(before) or _ADDRESS_WORDS.search(after))


def _address_findings(text):
    for match in _STREET.finditer(text):
        yield Finding(ADDRESS, match.start(), match.end())
    for match in _LIVE_AT.finditer(text):
        yield Finding(ADDRESS, match.start(1), match.end(1))
    for match in _US_ZIP4.finditer(text):
        yield Finding(ADDRESS, match.start(), match.end())
    for pattern in (_UK_POSTCODE, _US_STATE_ZIP):
        for match in pattern.finditer(text):
            if _near_address_words(text, match.start(), match.end()):
                yield Finding(ADDRESS, match.start(), match.end())


def find_personal_details(text):
    """Each personal identifier in `text`, in order, overlaps resolved in favour of the first kind
    found (emails, then record numbers, dates of birth, phones, addresses)."""
    text = text or ""
    candidates = [
        *(Finding(EMAIL, match.start(), match.end()) for match in _EMAIL.finditer(text)),
        *_record_findings(text),
        *_date_findings(text),
        *_phone_findings(text),
        *_address_findings(text),
    ]
    kept = []
    for finding in candidates:
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda finding: finding.start)


def found_kinds(findings):
    """The kinds found, each once, in the order they appear."""
    return list(dict.fromkeys(finding.kind for finding in findings))


def describe(findings):
    """What was found, for a reader or a moderator: "a phone number and a date of birth"."""
    return get_text_list([str(KIND_LABELS[kind]) for kind in found_kinds(findings)], str(_("and")))


def redact(text, findings=None):
    """`text` with every finding replaced by "[removed]"; returns (text, findings)."""
    findings = find_personal_details(text) if findings is None else findings
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda finding: finding.start):
        pieces += [text[position : finding.start], REDACTED]
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces), findings

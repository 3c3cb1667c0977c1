"""A readable, word-level comparison of two revisions: Python's difflib on words, HTML-escaped."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

from revisions.content import registered_beside, registered_fields

TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """`old` → `new` as HTML: removed words in <del>, added words in <ins>, everything escaped."""
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text above is escaped


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    html: str


def _shown(field, value):
    """A value as an editor reads it: a related object by its name, a missing value as a dash."""
    if value in (None, ""):
        return "—"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def changed_fields(model, old_content, new_content):
    """The fields whose value differs, each with a word-level diff of what was shown to editors."""
    changes = []
    for field in registered_fields(model):
        old, new = old_content.get(field.name), new_content.get(field.name)
        if old == new:
            continue
        old_text, new_text = _shown(field, old), _shown(field, new)
        changes.append(
            FieldChange(
                name=field.name,
                label=str(field.verbose_name).capitalize(),
                old=old_text,
                new=new_text,
                html=word_diff(old_text, new_text),
            )
        )
    for piece in registered_beside(model):
        old, new = old_content.get(piece.name), new_content.get(piece.name)
        if not piece.label or old == new:
            continue
        old_text, new_text = piece.text(old), piece.text(new)
        changes.append(FieldChange(piece.name, str(piece.label), old_text, new_text, word_diff(old_text, new_text)))
    return changes

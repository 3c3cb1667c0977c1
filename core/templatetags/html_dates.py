"""Dates for HTML's `datetime` attribute.

HTML accepts at most three fractional digits of a second, and Django's `date:'c'` prints six
(the Nu HTML Checker rejects it), so pages give whole seconds with the local offset.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value):
    """`2026-11-22T11:36:09-05:00` for a datetime, `2026-11-22` for a date, "" for anything else."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""

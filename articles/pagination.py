"""Pages of a list without counting the whole table.

A `Paginator` runs `COUNT(*)` on every request, which grows with the table; list pages
only need "is there an older page?", so they fetch one row more than they show.
"""

import re

from django.http import Http404

# Deep enough for every article at 100,000 articles and 12 a page; the limit keeps
# OFFSET scans bounded and turns silly numbers into a 404.
MAX_PAGE = 10_000
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


class ArticlePage:
    """One page of rows, with just enough to draw "newer" and "older" links."""

    def __init__(self, items, number, has_next):
        self.object_list = items
        self.number = number
        self.has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def page_number(value):
    """The page asked for, or 404 for anything that is not a page number we serve."""
    if value is None or value == "":
        return 1
    if not _PAGE_NUMBER.fullmatch(value):
        raise Http404("Not a page number.")
    number = int(value)
    if not 1 <= number <= MAX_PAGE:
        raise Http404("No such page.")
    return number


def page_of(queryset, value, per_page):
    """Rows of page `value` (a raw query-string value) of `queryset`, in one query."""
    number = page_number(value)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if number > 1 and not rows:
        raise Http404("No such page.")
    return ArticlePage(rows[:per_page], number, has_next=len(rows) > per_page)

"""The article's own part of its page, kept rendered between the changes that alter it.

The text, byline, table of contents, disclaimer and related articles are the same for every
reader, and they change only when something drops the article's stored page: the article or its
images (its path), a clinician or a related article (every article page), a category or the site
settings (every page). The fragment is keyed on the versions of exactly those tags, so it is as
fresh as the page cache itself, and it also renders fresh past the next scheduled publication.
Previews show unpublished work to staff and are never kept.
"""

from django.utils import timezone, translation

import pagecache

DETAIL_VIEW = "view:articles:detail"


def article_content(article, render):
    """`render()`'s markup for the live `article`, from the fragment cache when nothing it shows
    has changed since it was kept."""
    vary = (article.pk, translation.get_language(), timezone.get_current_timezone_name())
    pages = [article.get_absolute_url(), DETAIL_VIEW]
    return pagecache.cached_fragment("article-content", pages=pages, vary=vary, render=render)

"""The article page's shared parts, kept between the changes that alter them.

The article row (with its category and clinicians), its text, byline, table of contents,
disclaimer, related articles and JSON-LD are the same for every reader, and they change only
when something drops the article's stored page: the article or its images (its path), a
clinician or a related article (every article page), a category or the site settings (every
page). They are kept under the versions of exactly those tags, so they are as fresh as the page
cache itself, and never past the next scheduled publication. Previews show unpublished work to
staff and are never kept.
"""

from django.urls import reverse
from django.utils import timezone, translation

import pagecache

DETAIL_VIEW = "view:articles:detail"


def _pages(slug):
    return [reverse("articles:detail", kwargs={"slug": slug}), DETAIL_VIEW]


def live_article(slug, load):
    """The live article at `slug` as `load()` finds it (None: not live), kept while unchanged."""
    return pagecache.cached_fragment("live-article", pages=_pages(slug), vary=(slug,), render=load)


def article_content(article, render):
    """`render()`'s markup for the live `article`, from the fragment cache when nothing it shows
    has changed since it was kept."""
    vary = (article.pk, translation.get_language(), timezone.get_current_timezone_name())
    return pagecache.cached_fragment("article-content", pages=_pages(article.slug), vary=vary, render=render)


def structured_data(request, article, build):
    """`build()`'s JSON-LD for the live `article`; it holds absolute addresses, so it is kept per
    scheme and host."""
    vary = (article.pk, request.build_absolute_uri("/"), translation.get_language())
    return pagecache.cached_fragment("article-json-ld", pages=_pages(article.slug), vary=vary, render=build)

from django.utils.functional import SimpleLazyObject

import pagecache
from core.models import SiteSettings


def site(request):
    """Site settings for every template, from the cache (no query per use), and this page's
    address as links may print it (on a cached page, only the parameters the page reads)."""
    return {
        "site_settings": SiteSettings.load(),
        "page_url": SimpleLazyObject(lambda: request.build_absolute_uri(pagecache.page_path(request))),
    }

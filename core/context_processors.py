from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject

import pagecache
from core.models import SiteSettings

SITE_IMAGE = "img/social-card.png"  # 1200×630, what link previews show for a page with no picture


def site(request):
    """Site settings for every template, from the cache (no query per use), this page's
    address as links may print it (on a cached page, only the parameters the page reads), and the
    site's image for pages shared without one of their own."""
    return {
        "site_settings": SiteSettings.load(),
        "page_url": SimpleLazyObject(lambda: request.build_absolute_uri(pagecache.page_path(request))),
        "site_image_url": SimpleLazyObject(lambda: request.build_absolute_uri(static(SITE_IMAGE))),
    }

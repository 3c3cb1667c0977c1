from articles.models import Category


def navigation(request):
    """The header's category links, from the cache (no query per page)."""
    return {"nav_categories": Category.navigation()}

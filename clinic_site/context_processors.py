from clinic_site.models import SiteSettings


def site(request):
    """Site settings and navigation for every template, from the cache (no query per use)."""
    from articles.models import Category

    return {
        "site_settings": SiteSettings.load(),
        "nav_categories": Category.navigation(),
    }

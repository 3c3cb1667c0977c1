import hashlib

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.http import condition
from django.views.generic import RedirectView

from articles.sitemaps import ArticleSitemap, CategorySitemap, ClinicianSitemap
from clinic_site.sitemaps import StaticViewSitemap
from core import views
from core.media import serve_upload
from shop.sitemaps import ProductSitemap

admin.site.site_header = "Clinic site administration"
admin.site.site_title = "Clinic admin"
admin.site.index_title = "Run the site"

sitemaps = {
    "pages": StaticViewSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "clinicians": ClinicianSitemap,
    "products": ProductSitemap,
}


def sitemap_etag(request, section=None, **kwargs):
    """What the sitemap lists, in brief: each section's size and newest change (its `summary()`,
    one query). A removed or added page changes it even when no date moves, so a crawler's copy is
    never wrongly kept."""
    facts = []
    for name, section_class in sorted(sitemaps.items()):
        pages, newest = section_class().summary()
        facts.append(f"{name}:{pages}:{newest or ''}")
    return hashlib.sha256("|".join(facts).encode()).hexdigest()[:32]


urlpatterns = [
    # Admin addresses of models that moved to an app of their own keep working.
    re_path(
        rf"^{settings.ADMIN_URL}comments/(?P<model>topicsuggestion|topicvote)/(?P<rest>.*)$",
        RedirectView.as_view(url=f"/{settings.ADMIN_URL}topics/%(model)s/%(rest)s", query_string=True),
    ),
    re_path(
        rf"^{settings.ADMIN_URL}clinic_site/(?P<model>sitesettings)/(?P<rest>.*)$",
        RedirectView.as_view(url=f"/{settings.ADMIN_URL}core/%(model)s/%(rest)s", query_string=True),
    ),
    # Staff sign-in security: second factors, passkeys and forgotten passwords, in the admin's address.
    path(f"{settings.ADMIN_URL}security/passkeys/", include("django_otp_webauthn.urls")),
    path(f"{settings.ADMIN_URL}security/", include("staff_security.urls")),
    path(settings.ADMIN_URL, include("staff_security.password_reset_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", condition(etag_func=sitemap_etag)(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("follow/", views.FollowView.as_view(), name="follow"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("healthz/ready", views.healthz_ready, name="healthz_ready"),
    path("shop/", include("shop.urls")),
    path("", include("comments.urls")),
    path("topics/", include("topics.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", serve_upload))

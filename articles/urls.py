from django.conf import settings
from django.urls import path
from django.views.generic import RedirectView

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.conditional(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", feeds.conditional(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("categories/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("categories/<slug:slug>/feed/", feeds.conditional(feeds.CategoryFeed()), name="category_feed"),
    path("categories/<slug:slug>/feed/atom/", feeds.conditional(feeds.CategoryAtomFeed()), name="category_feed_atom"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("clinicians/<slug:slug>/", views.ClinicianView.as_view(), name="clinician"),
    # Browsers and crawlers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.ico", permanent=True)),
]

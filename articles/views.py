"""Public pages. Every one starts from `Article.objects.published()`."""

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, TemplateView

from articles import fragments
from articles.models import Article, Category, Clinician, SlugRedirect
from articles.pagination import page_of
from articles.review import article_label
from articles.search import match_count, normalise_query, search_articles
from articles.seo import article_structured_data
from articles.suggestions import suggest_query
from core.models import SiteSettings
from core.staff_access import staff_may
from pagecache import CachePolicy

RELATED_ARTICLES = 3


class PageMixin:
    """The canonical address and, for lists, the page of articles (one query, no COUNT)."""

    def canonical_url(self, page_number=1):
        url = self.request.build_absolute_uri(self.request.path)
        return f"{url}?page={page_number}" if page_number > 1 else url

    def article_page(self, queryset):
        return page_of(queryset, self.request.GET.get("page"), settings.ARTICLES_PER_PAGE)


class ArticleListMixin(PageMixin):
    """A page of live articles (`?page=N`, the only parameter the cached page reads)."""

    page_cache = CachePolicy(query=("page",))

    def listed_articles(self):
        return Article.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        page = self.article_page(self.listed_articles())
        return super().get_context_data(page=page, canonical_url=self.canonical_url(page.number), **kwargs)


class HomeView(ArticleListMixin, TemplateView):
    template_name = "articles/home.html"


class CategoryView(ArticleListMixin, DetailView):
    template_name = "articles/category_detail.html"
    queryset = Category.objects.all()
    context_object_name = "category"

    def listed_articles(self):
        return super().listed_articles().filter(category=self.object)


class ClinicianView(ArticleListMixin, DetailView):
    template_name = "articles/clinician_detail.html"
    queryset = Clinician.objects.all()
    context_object_name = "clinician"

    def listed_articles(self):
        """What they wrote, and what they approved as readers see it: the credit on each article page
        comes from the approval of its live text, not from the reviewer named for the next review."""
        return super().listed_articles().filter(Article.credited_to(self.object))


def can_preview(request):
    """Editors may open unpublished articles at their public address to check them, once their
    session has confirmed its staff powers (the second factor, as the admin asks)."""
    return staff_may(request, "articles.change_article")


class ArticleDetailView(PageMixin, DetailView):
    """The article page. Other apps add to it in the template (`{% article_comments %}`,
    `{% shop_widget %}`); an app that must show it again, with its form's errors, calls
    `render_article()`."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    page_cache = CachePolicy()
    preview = False

    def get_queryset(self):
        return Article.objects.published().for_page()

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        article = fragments.live_article(slug, lambda: self.get_queryset().filter(slug=slug).first())
        if article is None and can_preview(self.request):
            article = Article.objects.for_page().filter(slug=slug).first()
            self.preview = article is not None
        if article is None:
            raise Http404("No published article at this address.")
        return article

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            moved_to = SlugRedirect.current_slug(kwargs["slug"])
            if moved_to is None:
                raise
            return HttpResponsePermanentRedirect(Article(slug=moved_to).get_absolute_url())
        if self.preview:
            add_never_cache_headers(response)
            response.headers["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        related = (
            Article.objects.published()
            .for_listing()
            .filter(category_id=article.category_id)
            .exclude(pk=article.pk)[:RELATED_ARTICLES]
        )
        kwargs.setdefault("preview", self.preview)
        if kwargs["preview"]:
            kwargs.setdefault("preview_label", article_label(article))

        def build_structured_data():
            return article_structured_data(self.request, article, clinic_name=SiteSettings.load().clinic_name)

        return super().get_context_data(
            related_articles=related,
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            og_image=self.request.build_absolute_uri(article.hero.src) if article.hero else "",
            og_image_alt=article.hero_alt,
            structured_data=build_structured_data()
            if kwargs["preview"]
            else fragments.structured_data(self.request, article, build_structured_data),
            **kwargs,
        )


def render_article(request, article, *, extra_context=None, status=200):
    """The page of a live `article` (from `Article.objects.published().for_page()`), with
    `extra_context` for the apps that decorate it (a comment form with its errors, say)."""
    view = ArticleDetailView()
    view.setup(request, slug=article.slug)
    view.object = article
    context = view.get_context_data(object=article, **(extra_context or {}))
    return view.render_to_response(context, status=status)


class SearchView(PageMixin, TemplateView):
    """Search results, stored per normalised query: everything on the page that comes from the
    request (the heading, the search box, "did you mean", the page links) is built from it alone."""

    template_name = "articles/article_search.html"
    page_cache = CachePolicy(query=("page",), text={"q": normalise_query})

    def get_context_data(self, **kwargs):
        query = normalise_query(self.request.GET.get("q"))
        page = self.article_page(search_articles(query)) if query else None
        matches, more_matches = match_count(page) if page else (0, False)
        return super().get_context_data(
            query=query,
            suggestion=suggest_query(query) if page is not None and not matches and page.number == 1 else "",
            page=page,
            matches=matches,
            more_matches=more_matches,
            canonical_url=self.request.build_absolute_uri(self.request.path),
            **kwargs,
        )

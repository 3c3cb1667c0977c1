from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _was_public(values):
    publish_at = values.get("publish_at")
    return values.get("status") == "published" and publish_at is not None and publish_at <= timezone.now()


def _shown_as_related(article):
    """Whether other article pages of its category list `article` among their related articles."""
    from articles.models import Article
    from articles.views import RELATED_ARTICLES

    newest = Article.objects.published().filter(category_id=article.category_id).values_list("pk", flat=True)
    return article.pk in list(newest[: RELATED_ARTICLES + 1])


def article_pages(article, previous):
    """The pages that show `article`: its own, the home page, search results, its categories' and
    clinicians' pages, and other article pages when it is among their related articles. A draft or a
    scheduled article shows nowhere yet (its publication time bounds every stored page instead)."""
    from articles.models import Category, Clinician, ReviewDecision

    public_now = _was_public({"status": article.status, "publish_at": article.publish_at})
    public_before = _was_public(previous)
    if not (public_before or public_now):
        return []
    slugs = {article.slug, previous.get("slug")} - {None}
    category_ids = {article.category_id, previous.get("category_id")} - {None}
    clinician_ids = {article.author_id, article.reviewer_id, previous.get("author_id"), previous.get("reviewer_id")}
    # Clinicians' pages list the articles whose live text they approved, whoever the named reviewer is.
    approvals = {article.live_approval_id, previous.get("live_approval_id")} - {None}
    clinician_ids |= set(ReviewDecision.objects.filter(pk__in=approvals).values_list("clinician_id", flat=True))
    pages = [reverse("articles:detail", kwargs={"slug": slug}) for slug in slugs]
    pages += [reverse("articles:home"), "view:articles:search"]
    pages += [category.get_absolute_url() for category in Category.objects.filter(pk__in=category_ids)]
    pages += [clinician.get_absolute_url() for clinician in Clinician.objects.filter(pk__in=clinician_ids - {None})]
    moved = public_before != public_now or len(category_ids) > 1 or previous.get("publish_at") != article.publish_at
    if moved or _shown_as_related(article):
        pages.append("view:articles:detail")
    return pages


def images_text(images):
    """The images in the text as the review screen compares them: one line each."""
    return (
        "\n".join(
            _("%(marker)s %(file)s · alt text: %(alt)s · caption: %(caption)s")
            % {
                "marker": f"[image:{entry['id']}]",
                "file": entry["image"].rsplit("/", 1)[-1],
                "alt": entry["alt"],
                "caption": entry["caption"] or "—",
            }
            for entry in images or []
        )
        or "—"
    )


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        import pagecache
        import revisions
        from articles import sqlite_search
        from articles.models import Article, ArticleImage, Category, Clinician, SearchSynonym, SlugRedirect
        from articles.review import CONTENT_FIELDS
        from articles.synonyms import forget_synonyms

        # After every migrate, as Django drops a SQLite table's triggers when it rebuilds the table.
        post_migrate.connect(sqlite_search.install, sender=self, dispatch_uid="articles-sqlite-search")
        # On SQLite the "did you mean" word counts follow each article saved or deleted.
        pre_save.connect(sqlite_search.remember_words, sender=Article, dispatch_uid="articles-words-before")
        post_save.connect(sqlite_search.count_saved_words, sender=Article, dispatch_uid="articles-words-saved")
        post_delete.connect(sqlite_search.count_deleted_words, sender=Article, dispatch_uid="articles-words-deleted")
        # Every admin save keeps a revision; drafts of live articles never reach the row, so they
        # change no public page (the row changes only when a revision is published).
        revisions.register(
            Article,
            fields=CONTENT_FIELDS,
            beside=[
                revisions.Beside("images", Article.images_content, gettext_lazy("Images in the text"), images_text),
                revisions.Beside("image_renditions", Article.image_renditions_content),
            ],
        )
        pagecache.invalidate_on_change(
            Article,
            fields=["status", "publish_at", "slug", "category_id", "author_id", "reviewer_id", "live_approval_id"],
            pages=article_pages,
        )
        # Clinicians show on their articles and in the lists of them.
        pagecache.invalidate_on_change(
            Clinician,
            pages=lambda clinician, previous: [
                "view:articles:detail",
                "view:articles:home",
                "view:articles:category",
                "view:articles:clinician",
            ],
        )
        # An image in the text reaches its article's page only when a revision that has it is
        # published (a save of the article, registered above): its own changes drop no page.
        pagecache.invalidate_on_change(ArticleImage, pages=lambda image, previous: [])
        # An old address answers with a redirect, never stored: nothing to drop.
        pagecache.invalidate_on_change(SlugRedirect, pages=lambda redirect, previous: [])
        # Categories are in every page's navigation.
        pagecache.invalidate_on_change(Category)
        # Synonyms change what every search finds.
        post_save.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid="articles-synonyms-saved")
        post_delete.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid="articles-synonyms-deleted")
        pagecache.invalidate_on_change(SearchSynonym, pages=lambda synonym, previous: ["view:articles:search"])
        # A scheduled article goes live without a save: no page is kept past its time.
        pagecache.register_next_change(Article.next_scheduled_publication)

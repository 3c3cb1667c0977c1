from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        import pagecache
        import revisions
        from articles import sqlite_search
        from articles.models import Article, Category, Clinician, SlugRedirect
        from articles.review import CONTENT_FIELDS

        # After every migrate, as Django drops a SQLite table's triggers when it rebuilds the table.
        post_migrate.connect(sqlite_search.install, sender=self, dispatch_uid="articles-sqlite-search")
        revisions.register(Article, fields=CONTENT_FIELDS)
        for model in (Category, Clinician, SlugRedirect):
            pagecache.invalidate_on_change(model)
        # Drafts of live articles never reach the row; a row that is not and was not public
        # (a new article still in draft) changes no public page either.
        pagecache.invalidate_on_change(Article, when=_public_before_or_after, fields=("status",))
        # A scheduled article goes live without a save: no page is kept past its time.
        pagecache.register_next_change(Article.next_scheduled_publication)


def _public_before_or_after(article, previous):
    return article.status == article.Status.PUBLISHED or previous.get("status") == "published"

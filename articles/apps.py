from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        import pagecache
        from articles import sqlite_search
        from articles.models import Article, Category, Clinician, SlugRedirect

        # After every migrate, as Django drops a SQLite table's triggers when it rebuilds the table.
        post_migrate.connect(sqlite_search.install, sender=self, dispatch_uid="articles-sqlite-search")
        for model in (Article, Category, Clinician, SlugRedirect):
            pagecache.invalidate_on_change(model)
        # A scheduled article goes live without a save: no page is kept past its time.
        pagecache.register_next_change(Article.next_scheduled_publication)

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles import sqlite_search

        # After every migrate, as Django drops a SQLite table's triggers when it rebuilds the table.
        post_migrate.connect(sqlite_search.install, sender=self, dispatch_uid="articles-sqlite-search")

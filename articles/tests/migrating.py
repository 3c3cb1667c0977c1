"""Taking the test database back to a past migration and forward again, for the tests that prove a
migration keeps every row."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles import sqlite_search


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def back_to_the_newest_state():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(leaves)
    # SQLite drops a rebuilt table's triggers, as `migrate` then puts back; rows written meanwhile
    # are indexed again so the flush after this test finds the index in step.
    sqlite_search.install()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(sqlite_search.REBUILD)
        sqlite_search.rebuild_words()


def at_migration(targets):
    """For a fixture: the models as they were at `targets`, then the newest state again."""
    yield migrate(targets)
    back_to_the_newest_state()


def guide(apps, n, **fields):
    """Article `n`, 'Guide n', made with the models of a past migration; `fields` add the rest."""
    fields = {
        "title": f"Guide {n}",
        "slug": f"guide-{n}",
        "summary": "A summary.",
        "body": "## Start\n\nText.",
        **fields,
    }
    return apps.get_model("articles", "Article").objects.create(**fields)


def back_and_ada(apps):
    """The category and the author every guide needs, made with the models of a past migration."""
    return {
        "category": apps.get_model("articles", "Category").objects.create(name="Back & Spine", slug="back-spine"),
        "author": apps.get_model("articles", "Clinician").objects.create(name="Dr Ada Lane", slug="ada-lane"),
    }

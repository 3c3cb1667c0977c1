"""The vocabulary for "did you mean" arrives with every article kept and, on PostgreSQL, counted."""

import pytest
from django.db import connection
from django.utils import timezone

from articles.tests.migrating import at_migration, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0014_article_revised_at")]
AFTER = [("articles", "0015_search_words")]


def trigram_extension_installed():
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
        return cursor.fetchone()[0]


@pytest.fixture
def before_the_vocabulary():
    yield from at_migration(BEFORE)


def test_every_article_is_kept_and_its_words_counted(before_the_vocabulary):
    apps = before_the_vocabulary
    Category = apps.get_model("articles", "Category")
    Clinician = apps.get_model("articles", "Clinician")
    Article = apps.get_model("articles", "Article")
    category = Category.objects.create(name="Back & Spine", slug="back-spine")
    author = Clinician.objects.create(name="Dr Ada Lane", slug="ada-lane")
    for n, (title, status) in enumerate(
        [("Sciatica", "published"), ("Sciatica again", "published"), ("Whiplash", "draft")]
    ):
        Article.objects.create(
            title=title,
            slug=f"guide-{n}",
            category=category,
            summary="Pain.",
            body="Text.",
            author=author,
            status=status,
            publish_at=timezone.now(),
        )
    rows = set(Article.objects.values_list("pk", "title", "status"))

    apps = migrate(AFTER)

    assert set(apps.get_model("articles", "Article").objects.values_list("pk", "title", "status")) == rows
    words = dict(apps.get_model("articles", "SearchWord").objects.values_list("word", "articles"))
    if connection.vendor == "postgresql":
        assert trigram_extension_installed()
        assert words["sciatica"] == 2 and words["again"] == 1 and "whiplash" not in words
    else:
        assert words == {}  # SQLite counts them once migrate is done (sqlite_search.install)


def test_on_sqlite_the_migration_creates_no_extension_and_goes_back_cleanly(before_the_vocabulary):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL creates pg_trgm")
    with connection.cursor() as cursor:
        tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")}
    migrate(AFTER)
    migrate(BEFORE)
    with connection.cursor() as cursor:
        assert {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")} == tables

"""Archives restore across databases and versions: SQLite into PostgreSQL (a clinic moving up from one
server), and an older schema into the latest code."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from articles.tests.factories import make_article, make_clinician
from backups.jobs import backup_create, backup_restore
from backups.snapshot import sqlite_settings
from backups.tests.databases import as_default, every_model, rows
from comments.tests.factories import make_comment
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sqlite_archive_restores_into_postgresql(tmp_path, postgres_target, empty_media):
    source = connections.configure_settings({"default": sqlite_settings(tmp_path / "clinic.sqlite3")})["default"]
    with as_default(source):
        call_command("migrate", verbosity=0)
        article = make_article(
            title="Heat or ice? — «ünïcode» ✓", reviewer=make_clinician(), reviewed_on=date(2026, 2, 28)
        )
        make_comment(article, body="Ice first, then heat, worked for me.")
        make_product(price=Decimal("19.99"), sale_price=Decimal("14.50"))
        editor = get_user_model().objects.create_user("editor", "editor@example.org", "a long passphrase")
        editor.groups.add(Group.objects.create(name="Night editors"))
        default_storage.save("articles/hero.jpg", ContentFile(b"\xff\xd8 hero image bytes"))
        archive = backup_create(output=tmp_path / "sqlite.tar").path
        expected = {model._meta.label: rows(model, "default") for model in every_model()}

    restored = backup_restore(path=archive, using=postgres_target.alias, storage=empty_media)

    assert postgres_target.vendor == "postgresql"
    built = {record["model"] for record in restored.tables.values() if record["built"]}
    for model in every_model():
        if model._meta.label not in built:
            assert rows(model, postgres_target.alias) == expected[model._meta.label], model._meta.label
    # PostgreSQL's triggers build the search entries and the vocabulary of "did you mean" as the
    # articles go in; each word is counted once, by the target's own rules, never added to the archive's.
    assert built == {"articles.SearchEntry", "articles.SearchWord"}
    SearchEntry = apps.get_model("articles", "SearchEntry")
    assert SearchEntry.objects.using(postgres_target.alias).count() == len(expected["articles.Article"])
    SearchWord = apps.get_model("articles", "SearchWord")
    vocabulary = dict(SearchWord.objects.using(postgres_target.alias).values_list("word", "articles"))
    assert vocabulary["heat"] == 1
    assert set(vocabulary.values()) == {1}
    assert empty_media.open("articles/hero.jpg").read() == b"\xff\xd8 hero image bytes"

    later = get_user_model().objects.using(postgres_target.alias).create(username="after-the-move")
    assert later.pk == max(row[0] for row in expected["auth.User"]) + 1


def test_an_archive_from_an_older_schema_is_restored_then_migrated_forward(tmp_path, empty_database, empty_media):
    source = connections.configure_settings({"default": sqlite_settings(tmp_path / "older.sqlite3")})["default"]
    with as_default(source):
        call_command("migrate", verbosity=0)
        article = make_article(title="Written before the last migration")
        # The rows stay when the schema goes back to an older state (later columns are dropped).
        call_command("migrate", "articles", "0006_search_entry", verbosity=0)
        archive = backup_create(output=tmp_path / "older.tar").path

    backup_restore(path=archive, using=empty_database.alias, storage=empty_media)

    recorder = MigrationRecorder(empty_database)
    assert ("articles", "0007_remove_article_search_document") in recorder.applied_migrations()
    Article = apps.get_model("articles", "Article")
    assert Article.objects.using(empty_database.alias).get().title == article.title

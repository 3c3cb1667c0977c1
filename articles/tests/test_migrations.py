"""Moving to approval records keeps every article's medical review credit."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles import sqlite_search

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0007_remove_article_search_document")]
AFTER = [("articles", "0010_remove_typed_review_date")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_previous_state():
    apps = migrate(BEFORE)
    yield apps
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(leaves)
    # SQLite drops a rebuilt table's triggers, as `migrate` then puts back; rows written meanwhile
    # are indexed again so the flush after this test finds the index in step.
    sqlite_search.install()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(sqlite_search.REBUILD)
        sqlite_search.rebuild_words()


def test_every_typed_review_date_becomes_an_approval_record(at_previous_state):
    apps = at_previous_state
    Category = apps.get_model("articles", "Category")
    Clinician = apps.get_model("articles", "Clinician")
    Article = apps.get_model("articles", "Article")
    category = Category.objects.create(name="Back & Spine", slug="back-spine")
    author = Clinician.objects.create(name="Dr Ada Lane", slug="ada-lane")
    reviewers = [Clinician.objects.create(name=f"Dr Reviewer {n}", slug=f"reviewer-{n}") for n in range(3)]
    now = timezone.now()
    expected = {}
    for n, reviewer in enumerate(reviewers):
        article = Article.objects.create(
            title=f"Guide {n}",
            slug=f"guide-{n}",
            category=category,
            summary="A summary.",
            body="## Start\n\nText.",
            author=author,
            reviewer=reviewer,
            reviewed_on=date(2025, 1 + n, 10 + n * 9),
            status="draft" if n == 2 else "published",
            publish_at=now - timedelta(days=n),
        )
        expected[article.pk] = (reviewer.pk, article.reviewed_on)
    unreviewed = Article.objects.create(
        title="Unreviewed",
        slug="unreviewed",
        category=category,
        summary="S.",
        body="B.",
        author=author,
        status="published",
        publish_at=now,
    )

    apps = migrate(AFTER)

    Article = apps.get_model("articles", "Article")
    ReviewDecision = apps.get_model("articles", "ReviewDecision")
    Revision = apps.get_model("revisions", "Revision")
    for pk, (reviewer_id, reviewed_on) in expected.items():
        article = Article.objects.select_related("live_approval").get(pk=pk)
        approval = article.live_approval
        assert approval.action == "approved" and approval.article_id == pk
        assert approval.clinician_id == reviewer_id
        assert timezone.localtime(approval.created).date() == reviewed_on
        assert approval.revision.content["title"] == article.title
        assert approval.revision.content["reviewer"] == reviewer_id
        assert article.review_due_on == date(reviewed_on.year + 1, reviewed_on.month, reviewed_on.day)
        assert (article.live_revision_id == approval.revision_id) == (article.status == "published")
    assert not ReviewDecision.objects.filter(article_id=unreviewed.pk).exists()
    assert Article.objects.get(pk=unreviewed.pk).live_approval_id is None
    assert Revision.objects.count() == 3
    assert "reviewed_on" not in {field.name for field in Article._meta.get_fields()}

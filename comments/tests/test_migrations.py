"""Adding readers' reports keeps every comment as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.tests.migrating import at_migration

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("comments", "0006_status_awaiting_moderation")]
AFTER = [("comments", "0007_comment_reports")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_reports():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_comment_survives_the_reports_table(before_reports, article):
    Comment = before_reports.get_model("comments", "Comment")
    rows = [
        Comment.objects.create(
            article_id=article.pk, name=f"Reader {n}", email="r@example.com", body=f"Comment {n}", status=status
        )
        for n, status in enumerate(["approved", "pending", "spam", "removed"])
    ]
    before = list(Comment.objects.order_by("pk").values("pk", "name", "body", "status", "hold_reasons"))

    apps = migrate(AFTER)

    after = list(
        apps.get_model("comments", "Comment")
        .objects.order_by("pk")
        .values("pk", "name", "body", "status", "hold_reasons")
    )
    assert after == before and len(after) == len(rows)
    report = apps.get_model("comments", "CommentReport").objects.create(
        comment_id=rows[0].pk, reason="spam", reporter_hash="a" * 64
    )
    assert report.pk


@pytest.fixture
def before_first_publication():
    yield from at_migration([("comments", "0007_comment_reports")])


def test_every_comment_survives_and_those_already_public_count_as_published(before_first_publication, article):
    Comment = before_first_publication.get_model("comments", "Comment")
    cases = {
        "approved": ("approved", []),
        "removed": ("removed", []),
        "reported": ("pending", ["reported"]),
        "held": ("pending", ["low_score"]),
        "spam": ("spam", ["spam_score"]),
    }
    for name, (status, reasons) in cases.items():
        Comment.objects.create(
            article_id=article.pk, name=name, email="r@example.com", body=name, status=status, hold_reasons=reasons
        )
    fields = ["pk", "name", "email", "body", "status", "hold_reasons", "created", "moderated_at"]
    before = list(Comment.objects.order_by("pk").values(*fields))

    apps = migrate([("comments", "0008_comment_first_published_at")])

    after = apps.get_model("comments", "Comment").objects.order_by("pk")
    assert list(after.values(*fields)) == before
    published = {comment.name: comment.first_published_at == comment.created for comment in after}
    assert published == {"approved": True, "removed": True, "reported": True, "held": False, "spam": False}

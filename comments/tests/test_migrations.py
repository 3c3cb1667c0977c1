"""Adding readers' reports keeps every comment as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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

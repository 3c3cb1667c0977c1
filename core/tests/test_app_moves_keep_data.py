"""Moving site settings to `core` and topic suggestions to `topics` keeps every row.

A database is built at the migration state before the move, filled with rows in every table the
move touches (and the tables around them), then migrated forward: every row, foreign key,
permission, group grant and admin log entry must still be there. Runs on SQLite and PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_THE_MOVE = [
    ("clinic_site", "0002_site_settings_row"),
    ("comments", "0004_comment_threads_index"),
    ("core", None),
    ("topics", None),
]
MOVED = {("clinic_site", "sitesettings"): "core", ("comments", "topicsuggestion"): "topics",
         ("comments", "topicvote"): "topics"}  # fmt: skip


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _snapshot():
    """Every row of every table, by table (the migration history itself left out)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations" or table.startswith(("articles_search_fts", "sqlite_")):
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608  (names from introspection)
            columns = [column[0] for column in cursor.description]
            tables[table] = sorted((dict(zip(columns, row, strict=True)) for row in cursor.fetchall()), key=repr)
    return tables


def _fill(apps):
    """Rows in every table the move touches, linked the way the site links them."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    now = timezone.now()

    moderator = User.objects.create(username="frontdesk", email="desk@clinic.example", is_staff=True)
    category = apps.get_model("articles", "Category").objects.create(name="Back", slug="back")
    author = apps.get_model("articles", "Clinician").objects.create(name="Dr Lee", slug="dr-lee")
    article = apps.get_model("articles", "Article").objects.create(
        title="Easing back pain", slug="easing-back-pain", category=category, author=author, summary="S.",
        body="Text.", status="published", publish_at=now - timedelta(days=1),
    )  # fmt: skip
    apps.get_model("articles", "SlugRedirect").objects.create(article=article, old_slug="back-pain")
    Comment = apps.get_model("comments", "Comment")
    thread = Comment.objects.create(
        article=article, name="Ana", email="ana@example.com", body="Thanks.", status="approved", ip_hash="a" * 64
    )
    Comment.objects.create(article=article, parent=thread, name="Clinic", email="c@example.com", body="Welcome.",
                           status="approved", is_staff_reply=True, moderated_by=moderator)  # fmt: skip
    Suggestion = apps.get_model("comments", "TopicSuggestion")
    planned = Suggestion.objects.create(topic="Sleep", status="planned", votes=2, moderated_by=moderator)
    Suggestion.objects.create(topic="Sleeping", status="pending", merged_into=planned, email="r@example.com",
                              notify_when_published=True, hold_reasons=["review_all"])  # fmt: skip
    Suggestion.objects.create(topic="Knees", status="published", article=article)
    apps.get_model("comments", "TopicVote").objects.create(suggestion=planned, ip_hash="b" * 64)
    apps.get_model("clinic_site", "SiteSettings").objects.update_or_create(
        pk=1, defaults={"clinic_name": "Riverside", "moderator_emails": "desk@clinic.example"}
    )
    apps.get_model("shop", "Product").objects.create(name="Cream", slug="cream", price="9.50")
    apps.get_model("sessions", "Session").objects.create(
        session_key="k" * 32, session_data="e30:1", expire_date=now + timedelta(days=1)
    )

    # Staff records that follow a model: a group grant, a user's own permission, an admin log entry.
    editors = Group.objects.create(name="Site editors")
    for app_label, model in MOVED:
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=f"change_{model}", defaults={"name": f"Can change {model}"}
        )
        editors.permissions.add(permission)
        moderator.user_permissions.add(permission)
        LogEntry.objects.create(user=moderator, content_type=content_type, object_id="1", object_repr=model,
                                action_flag=2, change_message="[]", action_time=now)  # fmt: skip
    moderator.groups.add(editors)


def _content_type_labels():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_moving_models_to_their_own_apps_keeps_every_row_and_grant():
    latest = _latest()
    executor = _migrate(BEFORE_THE_MOVE)
    old_state = executor.loader.project_state([node for node in BEFORE_THE_MOVE if node[1]] + [
        node for node in latest if node[0] not in {app for app, _name in BEFORE_THE_MOVE}
    ])  # fmt: skip
    _fill(old_state.apps)
    labels_before = _content_type_labels()
    before = _snapshot()
    try:
        _migrate(latest)
    finally:
        _migrate(_latest())  # leave the test database as the other tests expect it
    after = _snapshot()

    # The content types keep their ids (so permissions, grants and log entries keep pointing at
    # them); only the app they belong to changes.
    labels_after = _content_type_labels()
    assert labels_after.keys() >= labels_before.keys()
    for pk, (app_label, model) in labels_before.items():
        assert labels_after[pk] == (MOVED.get((app_label, model), app_label), model)

    changed_tables = {"django_content_type", "comments_topicsuggestion", "comments_topicvote"}
    for table, rows in before.items():
        if table not in changed_tables:
            # Later migrations may add columns; every column the rows had keeps its value.
            columns = rows[0].keys() if rows else ()
            kept = sorted(({column: row[column] for column in columns} for row in after[table]), key=repr)
            assert kept == rows, table
    # Suggestions keep every column; new ones are now called "new" rather than "pending", and
    # the reader who suggested a topic counts as its first vote (topics 0003), so votes only grow.
    suggestions_after = {row["id"]: row for row in after["comments_topicsuggestion"]}
    assert suggestions_after.keys() == {row["id"] for row in before["comments_topicsuggestion"]}
    for row in before["comments_topicsuggestion"]:
        moved = suggestions_after[row["id"]]
        assert moved["status"] == ("new" if row["status"] == "pending" else row["status"])
        assert moved["votes"] >= row["votes"]
        assert {k: v for k, v in moved.items() if k not in {"status", "votes"}} == {
            k: v for k, v in row.items() if k not in {"status", "votes"}
        }
    assert all(vote in after["comments_topicvote"] for vote in before["comments_topicvote"])


@pytest.mark.django_db(transaction=True)
def test_after_the_move_the_moved_models_are_the_ones_django_and_the_admin_use():
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from core.models import SiteSettings
    from topics.models import TopicSuggestion

    assert ContentType.objects.get_for_model(SiteSettings).app_label == "core"
    assert ContentType.objects.get_for_model(TopicSuggestion).app_label == "topics"
    assert Permission.objects.filter(content_type__app_label="topics", codename="change_topicsuggestion").count() == 1
    assert not ContentType.objects.filter(app_label="comments", model="topicsuggestion").exists()

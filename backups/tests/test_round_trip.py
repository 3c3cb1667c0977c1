"""Every row of every model and every media file comes back from an archive exactly as it was."""

import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.tests.factories import make_article, make_image_file
from backups import snapshot
from backups.jobs import backup_create, backup_restore
from backups.media import media_names
from backups.tests.databases import every_model, holds_rows, rows
from comments.tests.factories import make_comment

pytestmark = pytest.mark.django_db(transaction=True)


def fill_the_clinic(settings):
    """The demo clinic, plus a row in each table the demo leaves empty."""
    settings.DEBUG = True  # the demo log-ins, with their groups
    call_command("seed_demo", stdout=io.StringIO())
    Article = apps.get_model("articles", "Article")
    article = Article.objects.order_by("pk").first()
    admin = get_user_model().objects.get(username="admin")
    permission = Permission.objects.order_by("pk").first()
    admin.user_permissions.add(permission)
    Group.objects.order_by("pk").first().permissions.add(permission)
    apps.get_model("articles", "ArticleImage").objects.create(
        article=article, image=make_image_file("figure.png", size=(640, 480), image_format="PNG"), alt="A figure"
    )
    apps.get_model("articles", "ReviewReminder").objects.get_or_create(user=admin, day=timezone.localdate())
    apps.get_model("submissions", "RateLimitCounter").objects.create(
        key="ratelimit:comment:reader:0", count=2, expires_at=timezone.now() + timedelta(minutes=10)
    )
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=article.title,
        action_flag=ADDITION,
        change_message='[{"added": {}}]',
    )
    apps.get_model("articles", "SlugRedirect").objects.create(old_slug="an-earlier-address", article=article)
    apps.get_model("articles", "SearchSynonym").objects.create(term="slipped disc", synonyms="herniated disc")
    comment = apps.get_model("comments", "Comment").objects.order_by("pk").first()
    apps.get_model("comments", "CommentReport").objects.create(comment=comment, reason="spam", reporter_hash="b" * 64)
    suggestion = apps.get_model("topics", "TopicSuggestion").objects.order_by("pk").first()
    apps.get_model("topics", "TopicVote").objects.create(suggestion=suggestion, ip_hash="a" * 64)
    SearchEntry = apps.get_model("articles", "SearchEntry")
    if not SearchEntry.objects.exists():  # PostgreSQL's triggers fill it; SQLite searches with FTS5
        SearchEntry.objects.create(article=article, status=article.status, publish_at=article.publish_at)
    session = SessionStore()
    session["reader"] = "ünïcode ✓"
    session.create()
    axes = {"user_agent": "Firefox", "ip_address": "203.0.113.9", "username": "admin", "http_accept": "*/*"}
    attempt = apps.get_model("axes", "AccessAttempt").objects.create(
        **axes, path_info="/admin/login/", get_data="", post_data="username=admin", failures_since_start=3
    )
    apps.get_model("axes", "AccessAttemptExpiration").objects.create(
        access_attempt=attempt, expires_at=timezone.now() + timedelta(hours=1)
    )
    apps.get_model("axes", "AccessLog").objects.create(**axes, path_info="/admin/")
    apps.get_model("axes", "AccessFailureLog").objects.create(**axes, path_info="/admin/login/", locked_out=True)
    # Staff second factors (kept: a restored site still asks for them) and sign-in records.
    apps.get_model("otp_totp", "TOTPDevice").objects.create(user=admin, name="Authenticator app", confirmed=True)
    codes = apps.get_model("otp_static", "StaticDevice").objects.create(user=admin, name="Recovery codes")
    apps.get_model("otp_static", "StaticToken").objects.create(device=codes, token="a1b2c3d4e5f6")
    passkey = apps.get_model("django_otp_webauthn", "WebAuthnCredential").objects.create(
        user=admin, name="Laptop", credential_id=b"\x01\x02", public_key=b"\x03", credential_id_sha256="ab" * 32
    )
    apps.get_model("django_otp_webauthn", "WebAuthnAttestation").objects.create(
        credential=passkey, fmt="none", data=b"\x04", client_data_json=b"{}"
    )
    apps.get_model("django_otp_webauthn", "WebAuthnUserHandle").objects.create(user=admin, handle_hex="cd" * 32)
    apps.get_model("staff_security", "StaffSession").objects.create(user=admin, session_key=session.session_key)
    apps.get_model("staff_security", "KnownNetwork").objects.create(user=admin, network_hash="ef" * 32)
    default_storage.save("odd names/ü ✓.bin", ContentFile(bytes(range(256)) * 8))
    # Work in flight (left out of archives): an email, its job, a periodic run.
    apps.get_model("core", "OutgoingEmail").objects.create(key="k", subject="s", body="b", to=["a@example.com"])
    apps.get_model("core", "PeriodicRun").objects.create(job="clear_sessions", period="1")
    apps.get_model("django_tasks_database", "DBTaskResult").objects.create(
        task_path="core.tasks.clear_expired_sessions", args_kwargs={"args": [], "kwargs": {}}, backend_name="default"
    )


@pytest.mark.parametrize("key", ["", "k" * 43], ids=["unkeyed", "keyed"])
def test_every_model_and_every_media_file_round_trip(settings, tmp_path, empty_database, empty_media, capsys, key):
    """Every row comes back, except the live log-ins and expiring lockout state no archive holds."""
    settings.BACKUP_KEY = key
    fill_the_clinic(settings)
    empty = [model._meta.label for model in every_model() if not model._base_manager.exists()]
    assert not empty, f"Give these models a row in fill_the_clinic(), so the round trip covers them: {empty}"
    media_before = {name: default_storage.open(name).read() for name in media_names(default_storage)}
    assert len(media_before) > 10

    archive = backup_create(output=tmp_path / "clinic.tar").path
    restored = backup_restore(path=archive, using=empty_database.alias, storage=empty_media)

    for model in every_model():
        if model._meta.label in settings.BACKUP_LEAVE_OUT:
            assert rows(model, empty_database.alias) == [], model._meta.label
        else:
            assert rows(model, empty_database.alias) == rows(model, connection.alias), model._meta.label
    assert {name: empty_media.open(name).read() for name in media_names(empty_media)} == media_before
    assert restored.media_files == len(media_before)

    call_command("verify_backup", str(archive))
    assert "match the manifest" in capsys.readouterr().out


def test_restore_prints_what_it_restored(tmp_path, empty_media, capsys):
    default_storage.save("articles/hero.jpg", ContentFile(b"an image"))
    archive = backup_create(output=tmp_path / "clinic.tar").path
    call_command("restore", str(archive), force=True)
    out = capsys.readouterr().out
    assert "Restored" in out
    assert "auth.Permission:" in out
    assert "media files: 1" in out
    assert default_storage.open("articles/hero.jpg").read() == b"an image"


def test_a_failure_while_loading_rows_leaves_no_restored_rows(tmp_path, empty_database, empty_media, monkeypatch):
    article = make_article()
    make_comment(article)
    archive = backup_create(output=tmp_path / "clinic.tar").path
    real_import_table = snapshot.import_table

    def fail_at_comments(archive, tar, model, connection):
        if model._meta.label == "comments.Comment":
            raise OSError("The disk went away")
        real_import_table(archive, tar, model, connection)

    monkeypatch.setattr(snapshot, "import_table", fail_at_comments)
    with pytest.raises(OSError, match="The disk went away"):
        backup_restore(path=archive, using=empty_database.alias, storage=empty_media)
    assert type(article).objects.exists()
    assert not holds_rows(type(article), empty_database)

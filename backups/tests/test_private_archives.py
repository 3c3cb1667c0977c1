"""Archives hold password hashes and e-mail addresses: only their owner can read them, live log-ins are
never in them, and with BACKUP_KEY nothing in them is readable or changeable without the key."""

import os
import stat
import tarfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from backups.jobs import backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "a-backup-key-of-forty-three-characters-xyz"


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_the_archive_and_its_new_folder_are_readable_by_their_owner_only(umask, tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "archives" / "nightly"
    archive = backup_create().path
    assert mode(archive) == 0o600
    assert mode(settings.BACKUP_DIR) == 0o700


def test_an_existing_archive_folder_open_to_others_is_narrowed_to_its_owner(umask, tmp_path):
    folder = tmp_path / "archives"
    folder.mkdir()
    folder.chmod(0o755)
    archive = backup_create(output=f"{folder}/").path
    assert mode(archive) == 0o600
    assert mode(folder) == 0o700


def test_an_archive_named_on_the_command_line_is_readable_by_its_owner_only(umask, tmp_path):
    call_command("backup", output=str(tmp_path / "new-folder" / "site.tar"))
    assert mode(tmp_path / "new-folder" / "site.tar") == 0o600
    assert mode(tmp_path / "new-folder") == 0o700


def test_no_archive_holds_live_sessions_or_lockout_state(tmp_path, empty_database, empty_media):
    session = SessionStore()
    session["_auth_user_id"] = "1"
    session.create()
    attempt = apps.get_model("axes", "AccessAttempt").objects.create(
        user_agent="Firefox", ip_address="203.0.113.9", username="admin", http_accept="*/*",
        path_info="/admin/login/", get_data="", post_data="username=admin", failures_since_start=3,
    )  # fmt: skip
    apps.get_model("axes", "AccessAttemptExpiration").objects.create(
        access_attempt=attempt, expires_at=timezone.now() + timedelta(hours=1)
    )
    apps.get_model("submissions", "RateLimitCounter").objects.create(
        key="ratelimit:comment:reader:0", count=2, expires_at=timezone.now() + timedelta(minutes=10)
    )
    archive = backup_create(output=tmp_path / "site.tar").path

    with tarfile.open(archive) as tar:
        names = tar.getnames()
    for table in ("django_session", "axes_accessattempt", "axes_accessattemptexpiration"):
        assert f"database/{table}.jsonl.gz" not in names
    assert "database/submissions_ratelimitcounter.jsonl.gz" not in names
    assert "database/auth_user.jsonl.gz" in names
    assert session.session_key.encode() not in archive.read_bytes()

    restored = backup_restore(path=archive, using=empty_database.alias, storage=empty_media)
    assert "django_session" not in restored.tables
    Session = apps.get_model("sessions", "Session")
    assert not Session._base_manager.using(empty_database.alias).exists()
    call_command("verify_backup", str(archive))


def test_a_keyed_archive_holds_nothing_readable(tmp_path, settings):
    settings.BACKUP_KEY = KEY
    get_user_model().objects.create_user("editor", "editor.secret@example.org", "a long passphrase")
    archive = backup_create(output=tmp_path / "keyed.tar").path
    data = archive.read_bytes()
    assert b"editor.secret@example.org" not in data
    assert b"pbkdf2_sha256" not in data
    with tarfile.open(archive) as tar:
        assert "manifest.hmac" in tar.getnames()
        assert "manifest.sha256" not in tar.getnames()
        assert b'"version"' not in tar.extractfile("project.json").read()


def test_a_keyed_archive_restores_with_its_key_only(tmp_path, settings, empty_database, empty_media):
    settings.BACKUP_KEY = KEY
    get_user_model().objects.create_user("editor", "editor@example.org", "a long passphrase")
    archive = backup_create(output=tmp_path / "keyed.tar").path

    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="is encrypted: set BACKUP_KEY to the key it was made with"):
        call_command("verify_backup", str(archive))
    settings.BACKUP_KEY = "another-key-of-forty-three-characters-abcde"
    with pytest.raises(CommandError, match="made with another key"):
        call_command("verify_backup", str(archive))
    assert empty_database.introspection.table_names() == []

    settings.BACKUP_KEY = KEY
    call_command("verify_backup", str(archive))
    backup_restore(path=archive, using=empty_database.alias, storage=empty_media)
    restored = get_user_model()._base_manager.using(empty_database.alias).get(username="editor")
    assert restored.check_password("a long passphrase")


def test_a_short_backup_key_writes_no_archive(tmp_path, settings):
    settings.BACKUP_KEY = "short"
    with pytest.raises(CommandError, match="BACKUP_KEY is shorter than 32 characters"):
        call_command("backup", output=str(tmp_path) + "/")
    assert list(tmp_path.iterdir()) == []

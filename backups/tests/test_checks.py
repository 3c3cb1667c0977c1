"""`check --deploy` says when archives would be written without a key."""

from backups.checks import backup_key_check


def test_the_deploy_check_warns_when_archives_would_be_unencrypted(settings):
    settings.BACKUP_KEY = ""
    assert [message.id for message in backup_key_check(None)] == ["backups.W001"]


def test_the_deploy_check_refuses_a_key_too_short_to_use(settings):
    settings.BACKUP_KEY = "short"
    assert [message.id for message in backup_key_check(None)] == ["backups.E001"]


def test_the_deploy_check_is_quiet_with_a_key(settings):
    settings.BACKUP_KEY = "k" * 43
    assert backup_key_check(None) == []

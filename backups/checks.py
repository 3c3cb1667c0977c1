"""Deploy checks for backups: archives hold password hashes and e-mail addresses."""

from django.conf import settings
from django.core import checks

from backups.sealing import MIN_KEY_LENGTH


@checks.register(checks.Tags.security, deploy=True)
def backup_key_check(app_configs, **kwargs):
    key = getattr(settings, "BACKUP_KEY", "")
    if not key:
        return [
            checks.Warning(
                "BACKUP_KEY is not set: backup archives are written unencrypted and their checksums prove "
                "integrity only, so an archive edited by anyone who can write to it would be restored.",
                hint="Set BACKUP_KEY (python -c 'import secrets; print(secrets.token_urlsafe(32))') and keep it "
                "apart from the archives (docs/OPERATIONS.md).",
                id="backups.W001",
            )
        ]
    if len(key) < MIN_KEY_LENGTH:
        return [
            checks.Error(
                f"BACKUP_KEY is shorter than {MIN_KEY_LENGTH} characters: `manage.py backup` refuses it.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(32))'",
                id="backups.E001",
            )
        ]
    return []

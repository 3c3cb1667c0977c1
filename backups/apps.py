from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backups of the whole site (database and media) that are proven to restore.

    Generic over `django.apps.apps`: it imports no other app of the project, so a new model is
    backed up, restored and verified without any change here.
    """

    name = "backups"
    verbose_name = "Backups"

    def ready(self):
        from backups import checks  # noqa: F401  (registers the deploy check for BACKUP_KEY)

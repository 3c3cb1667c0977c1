from django.apps import apps
from django.core.management.base import BaseCommand

from comments.models import ModeratedSubmission
from comments.privacy import purge_submission_data
from comments.topics import votes_purge


class Command(BaseCommand):
    help = (
        "Delete spam older than COMMENTS_SPAM_RETENTION_DAYS and clear address hashes older than "
        "COMMENTS_IP_RETENTION_DAYS, for comments and every other reader submission. Run it daily."
    )

    def handle(self, *args, **options):
        for model in apps.get_app_config("comments").get_models():
            if issubclass(model, ModeratedSubmission):
                spam, hashes = purge_submission_data(model)
                self.stdout.write(
                    f"{model._meta.verbose_name_plural}: {spam} old spam deleted, {hashes} address hashes cleared."
                )
        votes = votes_purge()  # topic votes keep an address hash too; their counts stay
        self.stdout.write(f"topic votes: {votes} old vote records deleted.")

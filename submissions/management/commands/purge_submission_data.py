from django.core.management.base import BaseCommand

from submissions.privacy import address_hash_purges, purge_submission_data, submission_models
from submissions.ratelimit import counters_purge


class Command(BaseCommand):
    help = (
        "Delete spam older than SUBMISSIONS_SPAM_RETENTION_DAYS and clear address hashes older than "
        "SUBMISSIONS_IP_RETENTION_DAYS, for every kind of reader submission. Run it daily."
    )

    def handle(self, *args, **options):
        for model in submission_models():
            spam, hashes = purge_submission_data(model)
            self.stdout.write(
                f"{model._meta.verbose_name_plural}: {spam} old spam deleted, {hashes} address hashes cleared."
            )
        for purge in address_hash_purges:
            self.stdout.write(purge())
        self.stdout.write(f"rate-limit counters: {counters_purge()} ended windows deleted.")

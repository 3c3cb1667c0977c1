"""The purge's name from when comments were the only reader submissions; kept for one release so
existing cron lines keep working while they are changed to purge_submission_data."""

from submissions.management.commands import purge_submission_data


class Command(purge_submission_data.Command):
    help = "Deprecated: use purge_submission_data, which does the same. " + purge_submission_data.Command.help

    def handle(self, *args, **options):
        self.stderr.write(
            "purge_comment_data is deprecated and will be removed in the next release: "
            "run purge_submission_data instead (it does the same)."
        )
        super().handle(*args, **options)

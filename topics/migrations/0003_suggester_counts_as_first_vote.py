from django.db import migrations
from django.db.models import F


def count_suggesters(apps, schema_editor):
    """Each existing suggestion gains its suggester's vote, as new ones start with it.

    Merged duplicates are left alone (their votes already moved to the survivor), and so is a
    suggestion whose suggester's address had voted for it already. The vote record keeps the
    suggestion's own date, so the address-hash retention purge treats it by that age.
    """
    TopicSuggestion = apps.get_model("topics", "TopicSuggestion")
    TopicVote = apps.get_model("topics", "TopicVote")
    for suggestion in TopicSuggestion.objects.filter(merged_into__isnull=True).only("id", "ip_hash", "created"):
        if suggestion.ip_hash and TopicVote.objects.filter(suggestion=suggestion, ip_hash=suggestion.ip_hash).exists():
            continue
        vote = TopicVote.objects.create(suggestion=suggestion, ip_hash=suggestion.ip_hash)
        TopicVote.objects.filter(pk=vote.pk).update(created=suggestion.created)
        TopicSuggestion.objects.filter(pk=suggestion.pk).update(votes=F("votes") + 1)


class Migration(migrations.Migration):
    """Suggesters count as the first reader who wants their topic (not undone on reverse: the
    counts stay as they are)."""

    dependencies = [("topics", "0002_new_status")]

    operations = [migrations.RunPython(count_suggesters, migrations.RunPython.noop)]

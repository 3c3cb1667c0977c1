from django.db import migrations


class Migration(migrations.Migration):
    """Topic suggestions now belong to the `topics` app (topics 0001 took over the tables)."""

    dependencies = [("comments", "0004_comment_threads_index"), ("topics", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TopicVote"), migrations.DeleteModel(name="TopicSuggestion")]
        ),
    ]

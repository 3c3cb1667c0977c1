from django.db import migrations


class Migration(migrations.Migration):
    """Images in the text and the review workflow were added side by side; nothing to change."""

    dependencies = [
        ("articles", "0008_article_images"),
        ("articles", "0010_remove_typed_review_date"),
    ]

    operations = []

"""Demo topic suggestions for `manage.py seed_demo`: a board with planned ideas and one already
answered by an article.

Safe to re-run (suggestions are found by their topic).
"""

from django.utils import timezone

from articles.models import Article
from topics.models import TopicSuggestion

DEMO_TOPICS = [
    (
        "Exercises that are safe during a flare-up",
        "What movement is still a good idea on a bad day, and what should wait?",
        TopicSuggestion.Status.PLANNED,
        14,
        None,
    ),
    (
        "Talking to family about invisible pain",
        "How do I explain chronic pain to people who cannot see it?",
        TopicSuggestion.Status.PLANNED,
        9,
        None,
    ),
    (
        "How to stop overdoing it on good days",
        "I do too much when I feel well and pay for it for days afterwards.",
        TopicSuggestion.Status.PUBLISHED,
        6,
        "pacing-the-boom-and-bust-cycle",
    ),
]


def seed(stdout):
    created = 0
    for topic, details, status, votes, slug in DEMO_TOPICS:
        article = Article.objects.published().filter(slug=slug).first() if slug else None
        if slug and article is None:
            continue  # the answering demo article is not there: leave this idea out
        _suggestion, is_new = TopicSuggestion.objects.get_or_create(
            topic=topic,
            defaults={
                "details": details,
                "status": status,
                "votes": votes,
                "article": article,
                "moderated_at": timezone.now(),
            },
        )
        created += is_new
    stdout.write(f"Topic suggestions: {created} created.")

"""Scheduled publications, carried out by the worker's scheduler (`articles.tasks.publish_scheduled`,
every minute), never by a reader's request.

The page cache keeps no page past the next scheduled time (`Article.next_scheduled_publication`),
so the first request after the worker has published renders the new text.
"""

from django.db import transaction
from django.utils import timezone

from articles.models import ReviewDecision
from articles.review import publish_scheduled


def publish_due_changes():
    """Carry out scheduled publications whose time has come; returns how many went live."""
    done = 0
    due = ReviewDecision.objects.filter(pending=True, publish_at__lte=timezone.now()).select_related("article")
    for decision in due:
        with transaction.atomic():
            done += publish_scheduled(decision)  # False when another worker got there first
    return done

"""Scheduled publications, carried out by the worker's scheduler (`articles.tasks.publish_scheduled`,
every minute), never by a reader's request.

The page cache keeps no page past the next scheduled time (`Article.next_scheduled_publication`),
so the first request after the worker has published renders the new text.
"""

import logging

from django.db import transaction
from django.utils import timezone

from articles.models import ReviewDecision
from articles.review import publish_scheduled

logger = logging.getLogger(__name__)


def publish_due_changes():
    """Carry out scheduled publications whose time has come, oldest first; returns how many went live.

    Each goes live in its own transaction: one that fails is logged and stays pending for the next
    run, and never holds back the others."""
    done = 0
    due = ReviewDecision.objects.filter(pending=True, publish_at__lte=timezone.now()).order_by("publish_at", "pk")
    for decision in due.select_related("article", "revision"):
        try:
            with transaction.atomic():
                done += publish_scheduled(decision)  # False when another worker got there first
        except Exception:
            logger.exception(
                "Could not publish the scheduled change of article %s (revision %s); tried again on the next run.",
                decision.article_id,
                decision.revision.number,
            )
    return done

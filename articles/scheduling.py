"""Scheduled publications carried out by the public requests themselves, so no cron is needed.

The public views, feeds and sitemap call `publish_due_changes()` first: a cache read while nothing
is due. The page cache keeps no page past the next scheduled time
(`Article.next_scheduled_publication`), so the first request after it comes here.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles.models import ReviewDecision
from articles.review import SCHEDULE_CACHE_KEY, publish_scheduled


def publish_due_changes():
    """Carry out scheduled publications whose time has come; costs a cache read otherwise."""
    due_at = cache.get(SCHEDULE_CACHE_KEY)
    if due_at is None:
        first = ReviewDecision.objects.filter(pending=True).order_by("publish_at").first()
        due_at = first.publish_at.timestamp() if first else 0
        cache.set(SCHEDULE_CACHE_KEY, due_at, 300)
    if not due_at or due_at > time.time():
        return 0
    done = 0
    due = ReviewDecision.objects.filter(pending=True, publish_at__lte=timezone.now()).select_related("article")
    for decision in due:
        with transaction.atomic():
            done += publish_scheduled(decision)  # False when another worker got there first
    cache.delete(SCHEDULE_CACHE_KEY)
    return done

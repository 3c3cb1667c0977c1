"""Readers backing a topic ("I want this too"): one vote per browser and per address.

The browser remembers the topics it backed in a signed cookie, sent only to the /topics/ pages
(the only ones that read it), so a reader who voted still gets every other page from the page
cache. Vote records keep an address hash only as long as SUBMISSIONS_IP_RETENTION_DAYS.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.urls import reverse_lazy
from django.utils import timezone

import pagecache
from submissions.conf import submission_setting
from submissions.privacy import hash_ip
from submissions.signed_cookies import SignedIdsCookie
from topics.models import TopicSuggestion, TopicVote
from topics.moderation import BOARD_PAGES

# Sent only to the /topics/ pages; the salt keeps its first spelling, as another would void the
# cookie of every reader who voted.
VOTE_COOKIE = SignedIdsCookie(
    name="topic_votes",
    salt="topics.suggestions.votes",
    max_age=365 * 24 * 3600,
    max_ids=200,
    path=reverse_lazy("topics:board"),
)
# Readers may back several topics in a row; a script clicking every button may not.
VOTE_RATE_LIMIT = 30


def voted_ids(request):
    """Suggestion ids this browser has backed, from its signed cookie (empty when tampered with)."""
    return VOTE_COOKIE.read(request)


def remember_vote(response, *, request, suggestion):
    """Record in the browser that it backs `suggestion` (voted for it, or suggested it)."""
    VOTE_COOKIE.add(response, request=request, pk=suggestion.pk)


def suggestion_vote(*, suggestion, request):
    """Count one "I want this too" unless this client already did: its cookie or its address.

    Returns True when the vote counted. The count changes through `update()` (no signals),
    so the cached pages are dropped here.
    """
    if suggestion.pk in voted_ids(request):
        return False
    ip_hash = hash_ip(request)
    with transaction.atomic():
        if ip_hash:
            _vote, created = TopicVote.objects.get_or_create(suggestion=suggestion, ip_hash=ip_hash)
            if not created:
                return False
        else:
            TopicVote.objects.create(suggestion=suggestion)
        TopicSuggestion.objects.filter(pk=suggestion.pk).update(votes=F("votes") + 1, activity_at=timezone.now())
        pagecache.invalidate_after_commit(pages=BOARD_PAGES)
    return True


def votes_purge(*, now=None):
    """Delete vote records (address hashes) past SUBMISSIONS_IP_RETENTION_DAYS; the counts stay."""
    cutoff = (now or timezone.now()) - timedelta(days=submission_setting("SUBMISSIONS_IP_RETENTION_DAYS"))
    deleted, _per_model = TopicVote.objects.filter(created__lt=cutoff).delete()
    return deleted


def votes_purge_report():
    return f"topic votes: {votes_purge()} old vote records deleted."

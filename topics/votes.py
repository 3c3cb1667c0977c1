"""Readers backing a topic ("I want this too"): one vote per browser and per address.

The browser remembers the topics it backed in a signed cookie, sent only to the /topics/ pages
(the only ones that read it), so a reader who voted still gets every other page from the page
cache. Vote records keep an address hash only as long as SUBMISSIONS_IP_RETENTION_DAYS.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

import pagecache
from submissions.conf import submission_setting
from submissions.privacy import hash_ip
from topics.models import TopicSuggestion, TopicVote
from topics.moderation import BOARD_PAGES

VOTE_COOKIE = "topic_votes"
# The salt keeps its first spelling: another would void the cookie of every reader who voted.
VOTE_COOKIE_SALT = "topics.suggestions.votes"
VOTE_COOKIE_MAX_IDS = 200
VOTE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Readers may back several topics in a row; a script clicking every button may not.
VOTE_RATE_LIMIT = 30


def voted_ids(request):
    """Suggestion ids this browser has backed, from its signed cookie (empty when tampered with)."""
    raw = request.get_signed_cookie(VOTE_COOKIE, default="", salt=VOTE_COOKIE_SALT)
    return {int(part) for part in raw.split(",") if part.isdigit()}


def remember_vote(response, *, request, suggestion):
    """Record in the browser that it backs `suggestion` (voted for it, or suggested it).

    The cookie is sent only to the /topics/ pages, the only ones that read it: a reader who voted
    still gets every other page from the page cache.
    """
    ids = [str(pk) for pk in sorted(voted_ids(request) | {suggestion.pk})][-VOTE_COOKIE_MAX_IDS:]
    response.set_signed_cookie(
        VOTE_COOKIE,
        ",".join(ids),
        salt=VOTE_COOKIE_SALT,
        max_age=VOTE_COOKIE_MAX_AGE,
        path=reverse("topics:board"),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


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

"""A reader's own held comments, shown to them in place while they await moderation.

As WordPress shows a held comment to its author, the browser that posted a comment sees it in
its thread, marked "only you can see this", for an hour. A signed cookie carries the ids of the
comments this browser posted (never an email); ids in it cannot be forged, and each comment is
shown only within the hour after it was posted, whatever the cookie's age. Requests carrying the
cookie are never answered from the page cache nor stored in it (CommentsConfig.ready()).
"""

from datetime import timedelta

from django.utils import timezone

from comments.models import Comment
from submissions.signed_cookies import SignedIdsCookie

HELD_COOKIE = SignedIdsCookie(name="held_comments", salt="comments.held", max_age=3600, max_ids=20)


def held_ids(request):
    """Comment ids this browser posted in the last hour; empty when the cookie is missing,
    expired or tampered with."""
    return HELD_COOKIE.read(request)


def remember_held(response, *, request, comment):
    """Add `comment` to the browser's list of its own held comments."""
    HELD_COOKIE.add(response, request=request, pk=comment.pk)


def own_held_comments(request, article_id):
    """This browser's comments on the article that still await moderation (spam looks the same
    to its author), oldest first; no query when the browser has posted none."""
    ids = held_ids(request)
    if not ids:
        return []
    since = timezone.now() - timedelta(seconds=HELD_COOKIE.max_age)
    held = list(
        Comment.objects.filter(
            pk__in=ids,
            article_id=article_id,
            status__in=[Comment.Status.PENDING, Comment.Status.SPAM],
            created__gte=since,
        )
        .only(*Comment.SHOWN_FIELDS)
        .order_by("id")
    )
    for comment in held:
        comment.awaiting_moderation = True
    return held


def with_own_held(threads, held, *, new_threads=True):
    """The page's threads with the reader's held comments in place: replies under the thread they
    answer when it is on this page, new threads last (they are the newest) when `new_threads`."""
    if not held:
        return threads
    threads = list(threads)
    by_id = {thread.pk: thread for thread in threads}
    for comment in held:
        if comment.parent_id is None:
            if new_threads:
                comment.thread_replies = []
                threads.append(comment)
        elif comment.parent_id in by_id:
            thread = by_id[comment.parent_id]
            thread.thread_replies = sorted([*thread.thread_replies, comment], key=lambda reply: reply.pk)
    return threads

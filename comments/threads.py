"""What the article page needs about its comments, in one query whatever their number."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from comments.captcha import site_key
from comments.forms import CommentForm
from comments.models import Comment

PUBLIC_FIELDS = ["id", "parent_id", "name", "body_html", "created", "is_staff_reply"]


def comments_are_open(article):
    """The article's own switch, then the age limit (COMMENTS_CLOSE_AFTER_DAYS, 0 = never)."""
    if not article.comments_open or not article.is_live:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not days or timezone.now() < article.publish_at + timedelta(days=days)


def build_threads(comments):
    """Top-level comments oldest first, each with `.thread_replies` oldest first.

    Replies whose parent is not public are left out rather than shown out of context.
    """
    threads, by_id = [], {}
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_replies = []
            threads.append(comment)
            by_id[comment.pk] = comment
    shown = len(threads)
    for comment in comments:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.thread_replies.append(comment)
            shown += 1
    return threads, shown


def comments_context(request, article, *, form=None):
    """Template context for templates/comments/article_comments.html."""
    approved = list(Comment.objects.approved().filter(article=article).only(*PUBLIC_FIELDS).order_by("created", "id"))
    threads, count = build_threads(approved)
    is_open = comments_are_open(article)
    replying_to = None
    if form is not None:
        parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
        replying_to = next((c for c in threads if parent is not None and c.pk == parent.pk), None)
    elif is_open:
        reply_to = request.GET.get("reply_to", "")
        replying_to = next((c for c in threads if reply_to.isdigit() and c.pk == int(reply_to)), None)
        initial = {"parent": replying_to.pk} if replying_to else {}
        form = CommentForm(article=article, request=request, initial=initial)
    return {
        "comment_threads": threads,
        "comment_count": count,
        "comments_are_open": is_open,
        "comment_form": form,
        "comment_post_url": reverse("comments:post", kwargs={"slug": article.slug}),
        "comment_replying_to": replying_to,
        "recaptcha_site_key": site_key(),
    }

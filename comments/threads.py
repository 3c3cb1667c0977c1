"""What a page of comment threads needs, in one query whatever the number of comments.

A thread is an approved top-level comment with its approved replies (one level). The article
page shows the newest COMMENTS_THREADS_PER_PAGE threads; older ones are on the earlier-comments
page, addressed by keyset (`?before=<thread id>`: the threads older than that one), so a page
never needs an OFFSET or a COUNT of its own. Thread ids follow posting order.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, Q, Subquery
from django.db.models.functions import Coalesce
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import ngettext

import pagecache
from comments.forms import CommentForm
from comments.held import held_ids, own_held_comments, with_own_held
from comments.models import Comment
from comments.reports import CSRF_PLACEHOLDER, fill_csrf_token
from submissions.captcha import site_key

# A thread id as it appears in our own links: no sign, no leading zero, within a 64-bit column.
_THREAD_ID = re.compile(r"[1-9][0-9]{0,17}")


def threads_per_page():
    return max(1, settings.COMMENTS_THREADS_PER_PAGE)


def parse_thread_id(value):
    """A positive id from a query parameter, or None for anything else (never an exception)."""
    return int(value) if isinstance(value, str) and _THREAD_ID.fullmatch(value) else None


def comments_are_open(article):
    """The article's own switch, then the age limit (COMMENTS_CLOSE_AFTER_DAYS, 0 = never)."""
    if not article.comments_open or not article.is_live:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not days or timezone.now() < article.publish_at + timedelta(days=days)


def public_threads(article_id):
    """The article's approved top-level comments: the heads of its threads."""
    return Comment.objects.approved().filter(article_id=article_id, parent__isnull=True)


def _shown_total(article_id):
    """How many comments the article shows: approved ones, less replies whose parent is not public.

    A subquery without outer reference: the database computes it once per statement.
    """
    shown = (
        Comment.objects.approved()
        .filter(article_id=article_id)
        .filter(Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED))
        .order_by()
        .values("article_id")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(shown, output_field=IntegerField()), 0)


@dataclass
class ThreadPage:
    """One page of threads, and whether older ones exist."""

    threads: list  # oldest first, each with `.thread_replies` oldest first
    total: int | None  # comments shown on the whole article; None when this page has none to tell it
    has_earlier: bool

    @property
    def earlier_before(self):
        """The `before` value of the page of older threads."""
        return self.threads[0].pk if self.has_earlier else None


def thread_page(article_id, *, before=None, with_total=True):
    """The newest threads older than `before` (all threads when None), in one query.

    One more thread than a page is asked for, to know whether older ones exist; it is dropped.
    With `with_total`, the same query also counts the comments the whole article shows.
    """
    size = threads_per_page()
    heads = public_threads(article_id)
    if before is not None:
        heads = heads.filter(pk__lt=before)
    head_ids = heads.order_by("-id").values("id")[: size + 1]
    rows = (
        Comment.objects.approved()
        .filter(article_id=article_id)
        .filter(Q(id__in=head_ids) | Q(parent_id__in=head_ids))
        .only(*Comment.SHOWN_FIELDS)
        .order_by("id")
    )
    if with_total:
        rows = rows.annotate(shown_total=_shown_total(article_id))
    rows = list(rows)
    threads, by_id = [], {}
    for comment in rows:
        if comment.parent_id is None:
            comment.thread_replies = []
            threads.append(comment)
            by_id[comment.pk] = comment
    for comment in rows:
        if comment.parent_id is not None:
            by_id[comment.parent_id].thread_replies.append(comment)
    has_earlier = len(threads) > size
    return ThreadPage(
        threads=threads[1:] if has_earlier else threads,
        total=rows[0].shown_total if rows and with_total else None,
        has_earlier=has_earlier,
    )


def thread_ids_from(article_id, first_id, limit):
    """Ids of the article's threads from `first_id` on (newer ones), oldest first, at most `limit`."""
    threads = public_threads(article_id).filter(pk__gte=first_id).order_by("id")
    return list(threads.values_list("id", flat=True)[:limit])


def earlier_comments_url(article, before):
    url = reverse("comments:earlier", kwargs={"slug": article.slug})
    return f"{url}?before={before}"


@dataclass
class EarlierPage:
    """The page of threads older than a thread, or the address to send the reader to instead."""

    threads: list = field(default_factory=list)
    earlier_url: str = ""
    later_url: str = ""
    redirect_url: str = ""


def earlier_page(article, before):
    """Threads older than thread `before`, with links to the pages before and after it.

    Only a thread id gives a page (one address per page for the cache): another number is sent
    to the page showing the same threads, or to the article when no thread is that new.
    """
    size = threads_per_page()
    article_comments_url = f"{article.get_absolute_url()}#comments"
    later = thread_ids_from(article.pk, before, size + 1)
    if not later:
        return EarlierPage(redirect_url=article_comments_url)
    if later[0] != before:
        return EarlierPage(redirect_url=earlier_comments_url(article, later[0]))
    page = thread_page(article.pk, before=before, with_total=False)
    return EarlierPage(
        threads=page.threads,
        earlier_url=earlier_comments_url(article, page.earlier_before) if page.has_earlier else "",
        # Newer threads that all fit on the article page are read there.
        later_url=earlier_comments_url(article, later[size]) if len(later) > size else article_comments_url,
    )


def earlier_page_before(comment):
    """The `before` of the page of earlier comments that opens with the comment's thread, or None
    when its thread is among the newest, on the article page. One query."""
    thread_id = comment.parent_id or comment.pk
    size = threads_per_page()
    newer = thread_ids_from(comment.article_id, thread_id + 1, size)
    # The page before the size-th newer thread holds this thread first, then the size - 1 after it.
    return newer[-1] if len(newer) == size else None


def comment_url(comment):
    """Where a comment is shown: the article page when its thread is among the newest, else the
    page of earlier comments that opens with its thread. The one place that answers this (emails,
    redirects after posting, the admin's "view on site"); one query, so not for lists.
    """
    article = comment.article
    before = earlier_page_before(comment)
    if before is None:
        return f"{article.get_absolute_url()}#{comment.anchor}"
    return f"{earlier_comments_url(article, before)}#{comment.anchor}"


def _replying_to(article_id, threads, parent_id):
    """The thread a reply form answers: from the page when it is there, else its own lookup."""
    if parent_id is None:
        return None
    shown = next((thread for thread in threads if thread.pk == parent_id), None)
    return shown or public_threads(article_id).only(*Comment.SHOWN_FIELDS).filter(pk=parent_id).first()


def reply_quote(comment, words=30):
    """The start of the comment a reply answers, as plain text, to quote above the reply form."""
    if comment is None:
        return ""
    return Truncator(html.unescape(strip_tags(comment.body_html))).words(words)


def thread_tag(article_id):
    """The tag of an article's approved comments: bumped when one enters or leaves that state."""
    return f"comments:article:{article_id}"


@dataclass
class SharedThreads:
    """The newest threads as every reader sees them: rendered once, kept per process."""

    html: str  # templates/comments/thread_list.html, empty without threads
    total: int
    earlier_url: str


def shared_threads(article, *, is_open):
    """The article's newest threads, rendered, from the fragment cache when no comment of the
    article entered or left the approved state since (`thread_tag`). Whether comments are open
    shows in every thread (reply links), so it is part of the key."""

    def render():
        page = thread_page(article.pk)
        html = ""
        if page.threads:
            context = {
                "comment_threads": page.threads,
                "comments_are_open": is_open,
                "comment_reply_base": "",
                "csrf_token": CSRF_PLACEHOLDER,  # each reader's page fills in its own (comments.reports)
            }
            html = render_to_string("comments/thread_list.html", context)
        earlier = earlier_comments_url(article, page.earlier_before) if page.has_earlier else ""
        return SharedThreads(html=html, total=page.total or 0, earlier_url=earlier)

    vary = (
        article.pk,
        article.slug,
        is_open,
        threads_per_page(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return pagecache.cached_fragment("comment-threads", pages=[thread_tag(article.pk)], vary=vary, render=render)


def comment_count_heading(shown, held):
    """The words above the thread: what everyone sees, and what this reader alone sees awaiting
    moderation ("3 comments, and 1 awaiting moderation: yours"), so the count matches the page."""

    def number(value):
        return number_format(value, force_grouping=True)

    if not held:
        return ngettext("%(count)s comment", "%(count)s comments", shown) % {"count": number(shown)}
    if not shown:
        return ngettext(
            "%(count)s comment awaiting moderation: yours", "%(count)s comments awaiting moderation: yours", held
        ) % {"count": number(held)}
    return ngettext(
        "%(shown)s comment, and %(held)s awaiting moderation: yours",
        "%(shown)s comments, and %(held)s awaiting moderation: yours",
        shown,
    ) % {"shown": number(shown), "held": number(held)}


def _is_shared_view(request, form, messages, report):
    """Whether the thread looks the same to this reader as to anyone: no form of theirs, no reply
    being written, no message of theirs to place under a comment, no held comment cookie."""
    return form is None and report is None and not messages and "reply_to" not in request.GET and not held_ids(request)


def attach_report_form(threads, report):
    """Put a report form with errors on the comment it reports (`report` is (comment id, form))."""
    if report is None:
        return
    comment_id, form = report
    for thread in threads:
        for comment in [thread, *thread.thread_replies]:
            if comment.pk == comment_id:
                comment.report_form = form


def comments_context(request, article, *, form=None, messages=None, report=None):
    """Template context for templates/comments/article_comments.html.

    `form` is a submitted form with errors, shown again with everything the reader typed (when
    comments closed before it arrived, its text is shown read-only, to copy);
    `messages` the reader's messages (some are placed under their comment); `report` a
    comment's id and the report form with errors to show open under it.
    """
    is_open = comments_are_open(article)
    if _is_shared_view(request, form, messages, report):
        shared = shared_threads(article, is_open=is_open)
        return {
            **_blank_context(article, is_open),
            "comment_threads": bool(shared.html),
            "comment_threads_html": fill_csrf_token(shared.html, get_token(request)),
            "comment_count": shared.total,
            "comment_heading": comment_count_heading(shared.total, 0),
            "comment_earlier_url": shared.earlier_url,
            "comment_form": CommentForm(article=article, request=request, initial={}) if is_open else None,
        }
    page = thread_page(article.pk)
    held = own_held_comments(request, article.pk)
    if held:
        pagecache.skip_storing(request)  # the reader's own held comments are theirs alone
    threads = with_own_held(page.threads, held)
    attach_report_form(page.threads, report)
    on_page = {thread.pk for thread in page.threads}
    held_shown = sum(1 for comment in held if comment.parent_id is None or comment.parent_id in on_page)
    replying_to = None
    if form is not None:
        parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
        replying_to = _replying_to(article.pk, page.threads, parent.pk if parent is not None else None)
    elif is_open:
        replying_to = _replying_to(article.pk, page.threads, parse_thread_id(request.GET.get("reply_to", "")))
        initial = {"parent": replying_to.pk} if replying_to else {}
        form = CommentForm(article=article, request=request, initial=initial)
    return {
        **_blank_context(article, is_open),
        # This page may answer a POST (a form with errors), whose address takes no GET: links go to the article.
        "comment_reply_base": article.get_absolute_url(),
        "comment_threads": threads,
        "comment_count": page.total or 0,
        "comment_heading": comment_count_heading(page.total or 0, held_shown),
        "comment_earlier_url": earlier_comments_url(article, page.earlier_before) if page.has_earlier else "",
        "comment_form": form,
        "comment_unsent": form["body"].value() if form is not None and not is_open else "",
        "comment_replying_to": replying_to,
        "comment_reply_quote": reply_quote(replying_to),
        "comment_arrival": bool(held),
        # The reply form goes right under the comment it answers when that thread is on this page.
        "comment_reply_in_thread": replying_to is not None and any(t.pk == replying_to.pk for t in page.threads),
    }


def _blank_context(article, is_open):
    """What the comments section shows when the reader is writing nothing of their own."""
    return {
        "comment_threads_html": "",
        "comment_reply_base": "",  # reply links stay on this page
        "comment_article_url": article.get_absolute_url(),
        "comments_are_open": is_open,
        "comment_post_url": reverse("comments:post", kwargs={"slug": article.slug}),
        "comment_replying_to": None,
        "comment_unsent": "",
        "comment_reply_quote": "",
        "comment_arrival": False,
        "comment_reply_in_thread": False,
        "recaptcha_site_key": site_key(),
    }

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST, require_safe

import pagecache
from articles.models import Article, SlugRedirect
from articles.views import render_article
from comments.forms import CommentForm, CommentReportForm
from comments.held import own_held_comments, remember_held, with_own_held
from comments.models import Comment
from comments.moderation import comment_create, comment_report_create
from comments.notifications import COMMENT_EMAILS
from comments.reports import REPORTED_COOKIE
from comments.threads import (
    attach_report_form,
    comment_url,
    comments_are_open,
    earlier_comments_url,
    earlier_page,
    earlier_page_before,
    parse_thread_id,
)
from core.placed_messages import message_at
from submissions.models import HoldReason
from submissions.personal_details import describe
from submissions.privacy import hash_ip
from submissions.ratelimit import rate_limit_hit
from submissions.unsubscribe import UnsubscribeView

TOO_MANY_COMMENTS = (
    gettext_noop(
        "You have sent several comments in a short time. Your text is still here: "
        "please try again in %(minutes)d minute."
    ),
    gettext_noop(
        "You have sent several comments in a short time. Your text is still here: "
        "please try again in %(minutes)d minutes."
    ),
)

PRIVACY_HOLD = gettext_noop(
    "For your privacy, your comment waits for our team: it seems to contain %(found)s. Once public, "
    "it could not be taken back, so a moderator will remove those details before it appears. To talk "
    "about your own care, please call the clinic."
)


@require_POST
def comment_post(request, slug):
    """Post/redirect/get: store the comment, then back to the article with a message.

    Error answers show the whole article again around the form, with everything the reader typed.
    """
    article = get_object_or_404(Article.objects.published().for_page(), slug=slug)
    form = CommentForm(request.POST, article=article, request=request)
    if not comments_are_open(article):
        # Nothing is stored; the article shows the reader's words back to copy (comments.threads).
        return render_article(request, article, extra_context={"comment_form": form}, status=403)
    if not form.is_valid():
        return render_article(request, article, extra_context={"comment_form": form}, status=400)

    limit = rate_limit_hit(scope="comment", identities=[hash_ip(request), form.cleaned_data["email"].lower()])
    if not limit.allowed:
        form.add_error(None, limit.refusal(*TOO_MANY_COMMENTS))
        return limit.refuse(render_article(request, article, extra_context={"comment_form": form}))

    comment = comment_create(form=form, article=article, request=request)
    if comment.status == Comment.Status.APPROVED:
        message_at(
            request,
            messages.SUCCESS,
            _("Your comment is published. Thank you for joining the conversation."),
            place=comment.anchor,
        )
        return redirect(comment_url(comment))
    # Held (spam alike, so a bot learns nothing): the reader lands on their comment, shown in its
    # thread to this browser alone and marked as awaiting moderation.
    if HoldReason.PERSONAL_DETAILS in comment.hold_reasons:
        found = describe(comment.personal_details)
        message_at(request, messages.INFO, _(PRIVACY_HOLD) % {"found": found}, place=comment.anchor)
    response = redirect(comment_url(comment))
    remember_held(response, request=request, comment=comment)
    return response


@require_safe
def comment_permalink(request, pk):
    """Comment.get_absolute_url(): on to wherever the comment is shown now (never cached)."""
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article").filter(article__in=Article.objects.published()), pk=pk
    )
    return redirect(comment_url(comment))


@pagecache.cached_page(query=["before"])
@require_safe
def earlier_comments(request, slug):
    """The page of threads older than `?before=<thread id>` (comments.threads.earlier_page)."""
    before = parse_thread_id(request.GET.get("before"))
    article = Article.objects.published().defer("body", "body_html", "toc").filter(slug=slug).first()
    if article is None:
        moved_to = SlugRedirect.current_slug(slug)
        if moved_to is None:
            raise Http404("No published article at this address.")
        url = reverse("comments:earlier", kwargs={"slug": moved_to})
        return redirect(f"{url}?before={before}" if before else url, permanent=True)

    if before is None:
        if "before" in request.GET:
            raise Http404("Not a page of comments.")
        return redirect(f"{article.get_absolute_url()}#comments")
    return _earlier_comments_page(request, article, before)


def _earlier_comments_page(request, article, before, *, report=None, status=200):
    """The page of threads older than thread `before`; `report` (a comment's id and the report
    form with errors) is shown open under that comment."""
    page = earlier_page(article, before)
    if page.redirect_url:
        return redirect(page.redirect_url)
    held = own_held_comments(request, article.pk)
    if held:
        pagecache.skip_storing(request)
    attach_report_form(page.threads, report)
    context = {
        "article": article,
        "comment_threads": with_own_held(page.threads, held, new_threads=False),
        "comments_are_open": comments_are_open(article),
        "comment_arrival": bool(held),
        "comment_reply_base": article.get_absolute_url(),  # reply forms are on the article page
        "earlier_url": page.earlier_url,
        "later_url": page.later_url,
        "canonical_url": request.build_absolute_uri(earlier_comments_url(article, before)),
    }
    return render(request, "comments/earlier_comments.html", context, status=status)


TOO_MANY_REPORTS = (
    gettext_noop("You have sent several reports in a short time: please try again in %(minutes)d minute."),
    gettext_noop("You have sent several reports in a short time: please try again in %(minutes)d minutes."),
)


@require_POST
def comment_report(request, pk):
    """A reader's report of a published comment, then back to the comment with a thank-you there
    (or at the top of the thread when the reports took the comment off the page)."""
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article").filter(article__in=Article.objects.published()), pk=pk
    )
    form = CommentReportForm(request.POST, request=request)
    if not form.is_valid():
        return _report_again(request, comment, form, status=400)

    limit = rate_limit_hit(scope="report", identities=[hash_ip(request)])
    if not limit.allowed:
        form.add_error(None, limit.refusal(*TOO_MANY_REPORTS))
        return limit.refuse(_report_again(request, comment, form, status=429))

    thanks = _("Thank you for telling us. Our team will read this comment again.")
    hidden = False
    if comment.pk not in REPORTED_COOKIE.read(request):
        _stored, hidden = comment_report_create(
            comment=comment, form=form, reporter_hash=hash_ip(request), request=request
        )
    if hidden:
        messages.success(request, _("Thank you for telling us. The comment is hidden until our team has read it."))
        response = redirect(f"{comment.article.get_absolute_url()}#comments")
    else:
        message_at(request, messages.SUCCESS, thanks, place=comment.anchor)
        response = redirect(comment_url(comment))
    REPORTED_COOKIE.add(response, request=request, pk=comment.pk)
    return response


def _report_again(request, comment, form, *, status):
    """The page that shows the comment (the article, or a page of earlier comments) again, with the
    report form open under the comment, its errors and the reader's words in it."""
    report = (comment.pk, form)
    before = earlier_page_before(comment)
    if before is not None:
        return _earlier_comments_page(request, comment.article, before, report=report, status=status)
    article = get_object_or_404(Article.objects.published().for_page(), pk=comment.article_id)
    return render_article(request, article, extra_context={"comment_report": report}, status=status)


class CommentUnsubscribeView(UnsubscribeView):
    model = Comment
    flag_field = "notify_me"
    legacy_salt = "comments.unsubscribe"
    mailing = COMMENT_EMAILS

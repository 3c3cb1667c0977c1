from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from articles.models import Article, SlugRedirect
from comments import topics
from comments.forms import CommentForm, TopicSuggestionForm
from comments.models import Comment, TopicSuggestion
from comments.moderation import comment_create
from comments.notifications import email_from_unsubscribe_token
from comments.privacy import hash_ip
from comments.ratelimit import rate_limit_hit
from comments.threads import comment_url, comments_are_open, comments_context, earlier_page, parse_thread_id


def _article_view(request, slug):
    """The article page's own view, so error answers show the full article around the form."""
    from articles.views import ArticleDetailView

    view = ArticleDetailView()
    view.setup(request, slug=slug)
    view.object = view.get_object()
    if not view.object.is_live:
        raise Http404
    return view


def _article_page(view, form, *, status):
    context = view.get_context_data(object=view.object)
    context.update(comments_context(view.request, view.object, form=form))
    response = view.render_to_response(context)
    response.status_code = status
    return response


@require_POST
def comment_post(request, slug):
    """Post/redirect/get: store the comment, then back to the article with a message."""
    view = _article_view(request, slug)
    article = view.object
    form = CommentForm(request.POST, article=article, request=request)
    if not comments_are_open(article):
        messages.error(request, _("Comments on this article are closed."))
        return _article_page(view, None, status=403)
    if not form.is_valid():
        return _article_page(view, form, status=400)

    limit = rate_limit_hit(scope="comment", identities=[hash_ip(request), form.cleaned_data["email"].lower()])
    if not limit.allowed:
        minutes = limit.retry_after_minutes
        form.add_error(
            None,
            ngettext(
                "You have sent several comments in a short time. Your text is still here: "
                "please try again in %(minutes)d minute.",
                "You have sent several comments in a short time. Your text is still here: "
                "please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = _article_page(view, form, status=429)
        response["Retry-After"] = str(limit.retry_after)
        return response

    comment = comment_create(form=form, article=article, request=request)
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("Your comment is published. Thank you for joining the conversation."))
        return redirect(comment_url(comment))
    messages.success(request, _("Thank you — your comment is awaiting moderation."))
    return redirect(f"{article.get_absolute_url()}#comments")


@require_safe
def comment_permalink(request, pk):
    """Comment.get_absolute_url(): on to wherever the comment is shown now (never cached)."""
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article").filter(article__in=Article.objects.published()), pk=pk
    )
    return redirect(comment_url(comment))


@require_safe
def earlier_comments(request, slug):
    """The page of threads older than `?before=<thread id>` (comments.threads.earlier_page)."""
    article = Article.objects.published().defer("body", "body_html", "toc").filter(slug=slug).first()
    if article is None:
        moved_to = SlugRedirect.current_slug(slug)
        if moved_to is None:
            raise Http404("No published article at this address.")
        url = reverse("comments:earlier", kwargs={"slug": moved_to})
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url, permanent=True)

    before = parse_thread_id(request.GET.get("before"))
    if before is None:
        if "before" in request.GET:
            raise Http404("Not a page of comments.")
        return redirect(f"{article.get_absolute_url()}#comments")
    page = earlier_page(article, before)
    if page.redirect_url:
        return redirect(page.redirect_url)
    context = {
        "article": article,
        "comment_threads": page.threads,
        "comments_are_open": comments_are_open(article),
        "comment_reply_base": article.get_absolute_url(),  # reply forms are on the article page
        "earlier_url": page.earlier_url,
        "later_url": page.later_url,
    }
    return render(request, "comments/earlier_comments.html", context)


@require_GET
def unsubscribe(request, token):
    email = email_from_unsubscribe_token(token)
    if email is None:
        return render(request, "comments/unsubscribe.html", {"unsubscribed": False}, status=400)
    Comment.objects.filter(email__iexact=email, notify_me=True).update(notify_me=False)
    return render(request, "comments/unsubscribe.html", {"unsubscribed": True})


# --- Topic suggestions (issue 4): the board, the suggestion POST, the vote POST -----------

BOARD_PLANNED_LIMIT = 50
BOARD_PUBLISHED_LIMIT = 30


def _board_page(request, *, form=None, next_url="", status=200):
    """The /topics/ page; error answers show the form again with everything the reader typed."""
    board = TopicSuggestion.objects.on_board()
    context = {
        "planned_topics": board.filter(status=TopicSuggestion.Status.PLANNED).only(
            "id", "topic", "votes", "activity_at"
        )[:BOARD_PLANNED_LIMIT],
        "published_topics": board.filter(status=TopicSuggestion.Status.PUBLISHED)
        .select_related("article")
        .only("id", "topic", "votes", "activity_at", "article__title", "article__slug")[:BOARD_PUBLISHED_LIMIT],
        "topic_form": form or TopicSuggestionForm(request=request),
        "topic_next": next_url,
    }
    return render(request, "comments/topic_board.html", context, status=status)


def _safe_next(request):
    """Where the call-to-action was sent from (an article, the home page), if it is on this site."""
    url = request.POST.get("next", "")
    allowed_hosts = {request.get_host()}
    # Only site paths ("/..."): a bare word would reach redirect() as a view name and fail with a 500.
    is_path = url.startswith("/") and not url.startswith(("//", "/\\"))
    if is_path and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed_hosts, require_https=request.is_secure()):
        return url
    return ""


@require_GET
def topic_board(request):
    return _board_page(request)


@require_POST
def topic_suggest(request):
    """Post/redirect/get: store the suggestion, then back to the page it came from with a thank-you."""
    next_url = _safe_next(request)
    form = TopicSuggestionForm(request.POST, request=request)
    if not form.is_valid():
        return _board_page(request, form=form, next_url=next_url, status=400)

    limit = rate_limit_hit(scope="topic", identities=[hash_ip(request), form.cleaned_data["email"].lower()])
    if not limit.allowed:
        minutes = limit.retry_after_minutes
        form.add_error(
            None,
            ngettext(
                "You have sent several suggestions in a short time. Your text is still here: "
                "please try again in %(minutes)d minute.",
                "You have sent several suggestions in a short time. Your text is still here: "
                "please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = _board_page(request, form=form, next_url=next_url, status=429)
        response["Retry-After"] = str(limit.retry_after)
        return response

    topics.suggestion_create(form=form, request=request)
    # The same answer for every stored suggestion, spam included: a bot learns nothing.
    messages.success(request, _("Thank you — we will review your suggestion."))
    destination = next_url or reverse("comments:topics")
    return redirect(destination if "#" in destination else f"{destination}#main")


@require_POST
def topic_vote(request, pk):
    """The "I want this too" button: counted once per reader, then back to the topic on the board."""
    planned = TopicSuggestion.objects.on_board().filter(status=TopicSuggestion.Status.PLANNED)
    suggestion = get_object_or_404(planned, pk=pk)
    limit = rate_limit_hit(scope="topic_vote", identities=[hash_ip(request)], limit=topics.VOTE_RATE_LIMIT)
    if not limit.allowed:
        minutes = limit.retry_after_minutes
        messages.error(
            request,
            ngettext(
                "You have sent many votes in a short time. Please try again in %(minutes)d minute.",
                "You have sent many votes in a short time. Please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = _board_page(request, status=429)
        response["Retry-After"] = str(limit.retry_after)
        return response
    if topics.suggestion_vote(suggestion=suggestion, request=request):
        messages.success(request, _("Thank you — your vote for “%(topic)s” is counted.") % {"topic": suggestion.topic})
    else:
        messages.info(
            request,
            _("You have already asked for “%(topic)s”. Each reader counts once — thank you!")
            % {"topic": suggestion.topic},
        )
    response = redirect(f"{reverse('comments:topics')}#{suggestion.anchor}")
    topics.remember_vote(response, request=request, suggestion=suggestion)
    return response


@never_cache  # acts on a signed link: never stored by the page cache
@require_GET
def topic_unsubscribe(request, token):
    unsubscribed = topics.suggesters_unsubscribe(token) is not None
    return render(
        request, "comments/topic_unsubscribe.html", {"unsubscribed": unsubscribed}, status=200 if unsubscribed else 400
    )

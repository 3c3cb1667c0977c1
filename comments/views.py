from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comments.forms import CommentForm
from comments.models import Comment
from comments.moderation import comment_create
from comments.notifications import email_from_unsubscribe_token
from comments.privacy import hash_ip
from comments.ratelimit import rate_limit_hit
from comments.threads import comments_are_open, comments_context


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
        form.add_error(
            None,
            _(
                "You have sent several comments in a short time. Your text is still here: "
                "please try again in %(minutes)d minutes."
            )
            % {"minutes": limit.retry_after_minutes},
        )
        response = _article_page(view, form, status=429)
        response["Retry-After"] = str(limit.retry_after)
        return response

    comment = comment_create(form=form, article=article, request=request)
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("Your comment is published. Thank you for joining the conversation."))
        return redirect(f"{article.get_absolute_url()}#{comment.anchor}")
    messages.success(request, _("Thank you — your comment is awaiting moderation."))
    return redirect(f"{article.get_absolute_url()}#comments")


@require_GET
def unsubscribe(request, token):
    email = email_from_unsubscribe_token(token)
    if email is None:
        return render(request, "comments/unsubscribe.html", {"unsubscribed": False}, status=400)
    Comment.objects.filter(email__iexact=email, notify_me=True).update(notify_me=False)
    return render(request, "comments/unsubscribe.html", {"unsubscribed": True})

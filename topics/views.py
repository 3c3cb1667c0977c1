from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

import pagecache
from core.placed_messages import message_at
from submissions.models import HoldReason
from submissions.personal_details import describe, find_personal_details
from submissions.privacy import hash_ip
from submissions.ratelimit import rate_limit_hit
from submissions.unsubscribe import UnsubscribeView
from topics import moderation, notifications, votes
from topics.forms import TopicSuggestionForm
from topics.models import TopicSuggestion

BOARD_PLANNED_LIMIT = 50
BOARD_PUBLISHED_LIMIT = 30
# The element id of the thank-you shown above a topic form (the board's and the sidebar's).
THANKS_PLACE = "topic-form-done"

TOO_MANY_SUGGESTIONS = (
    gettext_noop(
        "You have sent several suggestions in a short time. Your text is still here: "
        "please try again in %(minutes)d minute."
    ),
    gettext_noop(
        "You have sent several suggestions in a short time. Your text is still here: "
        "please try again in %(minutes)d minutes."
    ),
)
TOO_MANY_VOTES = (
    gettext_noop("You have sent many votes in a short time. Please try again in %(minutes)d minute."),
    gettext_noop("You have sent many votes in a short time. Please try again in %(minutes)d minutes."),
)


def _board_page(request, *, form=None, next_url="", status=200):
    """The /topics/ page; error answers show the form again with everything the reader typed."""
    board = TopicSuggestion.objects.on_board()
    context = {
        "planned_topics": board.filter(status=TopicSuggestion.Status.PLANNED)
        .most_wanted_first()
        .only("id", "topic", "votes", "activity_at")[:BOARD_PLANNED_LIMIT],
        "published_topics": board.filter(status=TopicSuggestion.Status.PUBLISHED)
        .select_related("article")
        .only("id", "topic", "votes", "activity_at", "article__title", "article__slug")[:BOARD_PUBLISHED_LIMIT],
        "topic_form": form or TopicSuggestionForm(request=request),
        "topic_next": next_url,
        # What this browser asked for: the vote cookie is only sent to /topics/ pages, and a
        # request carrying it is rendered for its reader alone (TopicsConfig.ready()).
        "topic_voted_ids": votes.voted_ids(request),
    }
    return render(request, "topics/topic_board.html", context, status=status)


def _safe_next(request):
    """Where the call-to-action was sent from (an article, the home page), if it is on this site."""
    url = request.POST.get("next", "")
    allowed_hosts = {request.get_host()}
    # Only site paths ("/..."): a bare word would reach redirect() as a view name and fail with a 500.
    is_path = url.startswith("/") and not url.startswith(("//", "/\\"))
    if is_path and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed_hosts, require_https=request.is_secure()):
        return url
    return ""


@pagecache.cached_page()
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
        form.add_error(None, limit.refusal(*TOO_MANY_SUGGESTIONS))
        return limit.refuse(_board_page(request, form=form, next_url=next_url))

    suggestion = moderation.suggestion_create(form=form, request=request)
    # The same answer for every stored suggestion, spam included: a bot learns nothing. It shows
    # above the form the reader used, and the address's fragment points at it.
    message_at(request, messages.SUCCESS, _("Thank you — we will review your suggestion."), place=THANKS_PLACE)
    if HoldReason.PERSONAL_DETAILS in suggestion.hold_reasons:
        found = describe(find_personal_details(form.visible_text))
        message_at(
            request,
            messages.INFO,
            _(
                "For your privacy: your suggestion seems to contain %(found)s. Topics on the board never show "
                "them, and our team will remove them. To talk about your own care, please call the clinic."
            )
            % {"found": found},
            place=THANKS_PLACE,
        )
    destination = (next_url or reverse("topics:board")).split("#", 1)[0]
    response = redirect(f"{destination}#{THANKS_PLACE}")
    votes.remember_vote(response, request=request, suggestion=suggestion)
    return response


@require_POST
def topic_vote(request, pk):
    """The "I want this too" button: counted once per reader, then back to the topic on the board."""
    planned = TopicSuggestion.objects.on_board().filter(status=TopicSuggestion.Status.PLANNED)
    suggestion = get_object_or_404(planned, pk=pk)
    limit = rate_limit_hit(scope="topic_vote", identities=[hash_ip(request)], limit=votes.VOTE_RATE_LIMIT)
    if not limit.allowed:
        messages.error(request, limit.refusal(*TOO_MANY_VOTES))
        return limit.refuse(_board_page(request))
    if votes.suggestion_vote(suggestion=suggestion, request=request):
        message_at(
            request,
            messages.SUCCESS,
            _("Thank you — your vote for “%(topic)s” is counted.") % {"topic": suggestion.topic},
            place=suggestion.anchor,
        )
    else:
        message_at(
            request,
            messages.INFO,
            _("You have already asked for “%(topic)s”. Each reader counts once — thank you!")
            % {"topic": suggestion.topic},
            place=suggestion.anchor,
        )
    # The fragment names the confirmation itself: a browser moves focus to it, and its scroll
    # margin keeps the topic's title and count in view above it.
    response = redirect(f"{reverse('topics:board')}#{suggestion.anchor}-done")
    votes.remember_vote(response, request=request, suggestion=suggestion)
    return response


class TopicUnsubscribeView(UnsubscribeView):
    model = TopicSuggestion
    flag_field = "notify_when_published"
    legacy_salt = "comments.suggestions.unsubscribe"
    mailing = notifications.TOPIC_EMAILS

"""Views for the page cache's own tests: what it must never store, whatever the site does."""

from django.contrib import messages
from django.http import HttpResponse
from django.urls import path

from pagecache import cached_fragment, cached_page, page_path, tag


@cached_page()
def plain(request):
    return HttpResponse("<p>the same for everyone</p>")


@cached_page()
def writes_the_session(request):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse(f"<p>visits: {request.session['visits']}</p>")


@cached_page()
def reads_the_user(request):
    return HttpResponse(f"<p>signed in: {request.user.is_authenticated}</p>")


@cached_page()
def adds_a_message(request):
    messages.info(request, "Just for you")
    return HttpResponse("<p>a message waits</p>")


@cached_page(query=["page"])
def paged(request):
    return HttpResponse(f"<p>page {request.GET.get('page', '1')} of {page_path(request)}</p>")


def lower_words(value):
    return " ".join(value.lower().split())[:20]


@cached_page(query=["page"], text={"q": lower_words})
def searched(request):
    return HttpResponse(f"<p>{lower_words(request.GET.get('q', ''))} at {page_path(request)}</p>")


@cached_page()
def shows_thing_seven(request):
    tag(request, "thing:7")
    return HttpResponse("<p>thing seven</p>")


@cached_page()
def answers_with(request, status, name):
    """A page of its own tag and fragment that answers with `status` (200 for a page kept)."""
    tag(request, f"thing:{name}")
    content = cached_fragment("answer", pages=[f"thing:{name}"], vary=(name,), render=lambda: f"fragment {name}")
    response = HttpResponse(content, status=status)
    if 300 <= status < 400:
        response["Location"] = "/plain/"
    return response


def not_opted_in(request):
    return HttpResponse("<p>never stored</p>")


urlpatterns = [
    path("plain/", plain),
    path("session/", writes_the_session),
    path("user/", reads_the_user),
    path("message/", adds_a_message),
    path("paged/", paged),
    path("searched/", searched),
    path("not-opted-in/", not_opted_in),
    path("thing-seven/", shows_thing_seven),
    path("answers/<int:status>/<slug:name>/", answers_with),
]

from django import template

import pagecache
from topics.forms import TopicSuggestionForm

register = template.Library()


@register.inclusion_tag("topics/topic_cta.html", takes_context=True)
def topic_cta(context):
    """The sidebar "What should we write about next?" form: no query, the same for every reader.

    It posts to topics:suggest, which brings the reader back to this page; a page answering a
    POST (a form shown again with its errors) has an address that takes none, so the board it is.
    """
    request = context.get("request")
    here = request is not None and request.method in ("GET", "HEAD")
    return {
        "form": TopicSuggestionForm(request=request),
        "next_url": pagecache.page_path(request) if here else "",
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "messages": context.get("messages"),
    }

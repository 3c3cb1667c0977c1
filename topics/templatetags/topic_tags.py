from django import template

import pagecache
from topics.forms import TopicSuggestionForm

register = template.Library()


@register.inclusion_tag("topics/topic_cta.html", takes_context=True)
def topic_cta(context):
    """The sidebar "What should we write about next?" form: no query, the same for every reader.

    It posts to topics:suggest, which brings the reader back to this page.
    """
    request = context.get("request")
    return {
        "form": TopicSuggestionForm(request=request),
        "next_url": pagecache.page_path(request) if request is not None else "",
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "messages": context.get("messages"),
    }

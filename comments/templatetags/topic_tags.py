from django import template

from comments.forms import TopicSuggestionForm

register = template.Library()


@register.inclusion_tag("comments/topic_cta.html", takes_context=True)
def topic_cta(context):
    """The sidebar "What should we write about next?" form: no query, the same for every reader.

    It posts to comments:topic_suggest, which brings the reader back to this page.
    """
    request = context.get("request")
    return {
        "form": TopicSuggestionForm(request=request),
        "next_url": request.get_full_path() if request is not None else "",
        "request": request,
    }

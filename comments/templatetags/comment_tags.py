from django import template

from comments.reports import report_reasons
from comments.threads import comments_context
from submissions.captcha import site_key

register = template.Library()


@register.inclusion_tag("comments/article_comments.html", takes_context=True)
def article_comments(context, article):
    """The article's comment threads and form; a form with errors comes from the page's context."""
    messages = context.get("messages")
    return {
        **comments_context(
            context["request"],
            article,
            form=context.get("comment_form"),
            messages=messages,
            report=context.get("comment_report"),
        ),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "messages": messages,
    }


@register.simple_tag
def comment_report_options():
    """What every comment's report form shows: the same for all comments and all readers."""
    return {"reasons": report_reasons(), "site_key": site_key()}

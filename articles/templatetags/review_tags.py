from django import template

from articles.dashboard import review_work

register = template.Library()


@register.simple_tag(takes_context=True)
def medical_review_work(context):
    """For the admin index: the reviews due soon or overdue, and the drafts waiting for review."""
    return review_work(context["request"].user)

from django import template

from articles.dashboard import review_work
from articles.review import decision_label

register = template.Library()


@register.simple_tag(takes_context=True)
def medical_review_work(context):
    """For the admin index: the reviews due soon or overdue, and the drafts waiting for review."""
    return review_work(context["request"].user)


@register.filter
def log_label(decision):
    """A step of the review log in the words of the rest of the admin ("Scheduled for …")."""
    return decision_label(decision)

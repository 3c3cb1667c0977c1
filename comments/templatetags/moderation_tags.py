from django import template
from django.apps import apps
from django.urls import reverse

from comments.models import ModeratedSubmission

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue(context):
    """(model name, waiting count, queue URL) for each reader submission the user may moderate.

    Covers every concrete ModeratedSubmission of the comments app, so topic suggestions
    appear here as soon as their model exists.
    """
    user = context["request"].user
    queue = []
    for model in apps.get_app_config("comments").get_models():
        if not issubclass(model, ModeratedSubmission):
            continue
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        waiting = model.objects.filter(status=ModeratedSubmission.Status.PENDING).count()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?status__exact=pending"
        queue.append({"name": opts.verbose_name_plural, "count": waiting, "url": url})
    return queue

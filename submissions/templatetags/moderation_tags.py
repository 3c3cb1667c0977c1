from django import template
from django.urls import reverse

from submissions.mail import quote_reader_text
from submissions.privacy import submission_models

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue(context):
    """(model name, waiting count, queue URL) for each reader submission the user may moderate."""
    user = context["request"].user
    queue = []
    for model in submission_models():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        waiting_status = model.moderation_queue_status()
        waiting = model.objects.filter(status=waiting_status).count()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + f"?status__exact={waiting_status}"
        queue.append({"name": opts.verbose_name_plural, "count": waiting, "url": url})
    return queue


@register.filter
def quoted(text):
    """A reader's text in an email, every line behind "> " (submissions.mail.quote_reader_text)."""
    return quote_reader_text(text)

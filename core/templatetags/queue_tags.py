"""The task queue's state on the admin index, for administrators (who can act on it)."""

from django import template
from django.conf import settings

from core.queue_state import queue_state

register = template.Library()


@register.inclusion_tag("admin/includes/task_queue.html", takes_context=True)
def task_queue_state(context):
    request = context.get("request")
    if request is None or not request.user.is_superuser:
        return {"state": None}
    state = queue_state()
    return {
        "state": state,
        "behind": state.oldest_wait_seconds > settings.TASKS_READY_MAX_WAIT_SECONDS,
        "oldest_minutes": int(state.oldest_wait_seconds // 60),
    }

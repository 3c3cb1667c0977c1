from django import template

from core.placed_messages import place_of

register = template.Library()


@register.filter
def unplaced(messages):
    """The page-wide messages: those no form or item on the page shows beside itself."""
    return [message for message in messages or () if not place_of(message)]


@register.simple_tag(takes_context=True)
def messages_at(context, place):
    """The messages meant for `place` (an element id), for the template that renders it."""
    return [message for message in context.get("messages") or () if place_of(message) == place]

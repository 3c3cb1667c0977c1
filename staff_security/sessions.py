"""Staff sessions: recorded at sign-in, ended together, and ended when left idle."""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from staff_security.models import StaffSession

LAST_SEEN = "staff_security_seen"


def session_record(*, request, user):
    """Remember this session of `user` (and forget their records older than any session lives)."""
    request.session[LAST_SEEN] = int(time.time())
    if request.session.session_key is None:
        request.session.save()
    oldest = timezone.now() - timedelta(seconds=max(settings.SESSION_COOKIE_AGE, idle_seconds()))
    StaffSession.objects.filter(user=user, signed_in_at__lt=oldest).delete()
    StaffSession.objects.get_or_create(user=user, session_key=request.session.session_key)


def sessions_end(*, user, keep=None):
    """End every recorded session of `user` but the one keyed `keep`; how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for record in StaffSession.objects.filter(user=user).exclude(session_key=keep or ""):
        store(session_key=record.session_key).delete()
        record.delete()
        ended += 1
    if keep:
        StaffSession.objects.get_or_create(user=user, session_key=keep)
    return ended


def sessions_end_others(*, request):
    return sessions_end(user=request.user, keep=request.session.session_key)


def idle_seconds():
    return int(settings.STAFF_IDLE_HOURS * 3600)


def session_idle(request):
    """The session was last used in the admin longer ago than STAFF_IDLE_HOURS. Only reads the clock:
    previews ask this too, and reading pages outside the admin must not keep a session alive."""
    seen = request.session.get(LAST_SEEN)
    return seen is not None and int(time.time()) - seen > idle_seconds()


def session_idle_expired(request):
    """At the admin's door: the session was idle too long; else it is marked used now."""
    if session_idle(request):
        return True
    request.session[LAST_SEEN] = int(time.time())
    return False

"""What the site remembers about each staff member's sign-ins: their sessions and their networks."""

from django.conf import settings
from django.db import models


class StaffSession(models.Model):
    """A session a staff member signed in with, so the others can be ended from any one of them
    (whatever the session engine: each is deleted through the session store)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions")
    session_key = models.CharField(max_length=64)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "session_key"], name="staff_session_once")]

    def __str__(self):
        return f"{self.user} at {self.signed_in_at:%Y-%m-%d %H:%M}"


class KnownNetwork(models.Model):
    """A network a staff member has signed in from, kept as a keyed hash, never as an address."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_networks")
    network_hash = models.CharField(max_length=64)
    first_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "network_hash"], name="known_network_once")]

    def __str__(self):
        return f"{self.user}: {self.network_hash[:12]}"

"""Client addresses are kept only as keyed hashes, and only for as long as settings allow.

The key changes every IP_HASH_PERIOD_DAYS, so a reader's comments, suggestions and votes can be
told apart from others' within a period (limits, one vote each) but not followed across periods.

Every reader-submission model shares these helpers, so one retention rule covers them all.
"""

import hashlib
import hmac
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from core.client_ip import client_network
from submissions.conf import submission_setting

USER_AGENT_MAX_LENGTH = 300


def address_hash_period(now=None):
    """The number of the current hashing period (IP_HASH_PERIOD_DAYS long, counted from 1970)."""
    moment = timezone.now() if now is None else now
    return int(moment.timestamp() // 86400) // settings.IP_HASH_PERIOD_DAYS


def _hash_key(period):
    salt = settings.IP_HASH_SALT.encode()
    # Without a salt, one derived from SECRET_KEY, so the raw SECRET_KEY never becomes a hashing salt.
    base = salt or hashlib.sha256(f"clinic-ip-hash:{settings.SECRET_KEY}".encode()).digest()
    # A key of its own per period: one reader's hashes of two periods cannot be matched.
    return hmac.new(base, f"address-hash-period:{period}".encode(), hashlib.sha256).digest()


def hash_value(value, *, now=None):
    """HMAC-SHA256 of `value` under this period's key: equal inputs match within a period, yet the
    input cannot be read back, and the same input hashes differently in the next period."""
    if not value:
        return ""
    key = _hash_key(address_hash_period(now))
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def hash_ip(request, *, now=None):
    """The hashed network identifier of the reader (their IPv4 address or IPv6 /64)."""
    return hash_value(client_network(request), now=now)


def user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH]


# Other records that keep address hashes (topic votes, say) register their purge here in
# their AppConfig.ready(); each returns a line for the purge command's report.
address_hash_purges = []


def register_address_hash_purge(purge):
    if purge not in address_hash_purges:
        address_hash_purges.append(purge)


def purge_submission_data(model, *, now=None):
    """Delete old spam and blank old address hashes of a `ModeratedSubmission` model.

    Returns (spam rows deleted, address hashes cleared).
    """
    now = now or timezone.now()
    spam_cutoff = now - timedelta(days=submission_setting("SUBMISSIONS_SPAM_RETENTION_DAYS"))
    ip_cutoff = now - timedelta(days=submission_setting("SUBMISSIONS_IP_RETENTION_DAYS"))
    deleted, _per_model = model.objects.filter(status=model.Status.SPAM, created__lt=spam_cutoff).delete()
    spam_deleted = _per_model.get(model._meta.label, 0)
    cleared = model.objects.filter(created__lt=ip_cutoff).exclude(ip_hash="").update(ip_hash="")
    return spam_deleted, cleared


def submission_models():
    """Every concrete reader-submission model of the installed apps."""
    from submissions.models import ModeratedSubmission

    return [model for model in apps.get_models() if issubclass(model, ModeratedSubmission)]


HASHED_NETWORK_KEY = "hashed_network_identifier"
HASHED_NETWORK_NOTE = (
    "A hashed network identifier is a keyed hash of the network a submission came from (an IPv4 address, "
    "or the first 64 bits of an IPv6 address). The address itself is not kept and cannot be read back; "
    "the key changes every period, and the hash is deleted after the retention period."
)


def personal_data_export(email, *, absolute_url=lambda path: path):
    """Everything one reader sent, every submission model alike, for a subject-access request.

    Each model lists its rows under its `PERSONAL_DATA_KEY` through `personal_data()`.
    """
    data = {"email": email}
    for model in submission_models():
        rows = model.objects.filter(**{f"{model.EMAIL_FIELD}__iexact": email}).order_by("created", "id")
        if model.PERSONAL_DATA_RELATED:  # select_related() with no names would follow every relation
            rows = rows.select_related(*model.PERSONAL_DATA_RELATED)
        data[model.PERSONAL_DATA_KEY] = [
            {**row.personal_data(absolute_url=absolute_url), HASHED_NETWORK_KEY: row.ip_hash or None} for row in rows
        ]
    data["about_hashed_network_identifiers"] = HASHED_NETWORK_NOTE
    return data


def personal_data_erase(email):
    """Erase everything one reader sent (each model's `erase_personal_data()`); returns {model: rows erased}."""
    return {
        model: model.erase_personal_data(model.objects.filter(**{f"{model.EMAIL_FIELD}__iexact": email}))
        for model in submission_models()
    }

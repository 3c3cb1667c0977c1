"""Client addresses are kept only as keyed hashes, and only for as long as settings allow.

Comments and topic suggestions share these helpers, so one retention rule covers both.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

USER_AGENT_MAX_LENGTH = 300


def client_ip(request):
    """The address the request came from (a trusted-proxy setting may refine this later)."""
    return request.META.get("REMOTE_ADDR", "") or ""


def _hash_key():
    salt = settings.IP_HASH_SALT
    if salt:
        return salt.encode()
    # A key derived from SECRET_KEY, so the raw SECRET_KEY never becomes a hashing salt.
    return hashlib.sha256(f"clinic-ip-hash:{settings.SECRET_KEY}".encode()).digest()


def hash_value(value):
    """HMAC-SHA256 of `value`: equal inputs match, yet the input cannot be read back."""
    if not value:
        return ""
    return hmac.new(_hash_key(), value.strip().lower().encode(), hashlib.sha256).hexdigest()


def hash_ip(request):
    return hash_value(client_ip(request))


def user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH]


def purge_submission_data(model, *, now=None):
    """Delete old spam and blank old address hashes of a `ModeratedSubmission` model.

    Returns (spam rows deleted, address hashes cleared).
    """
    now = now or timezone.now()
    spam_cutoff = now - timedelta(days=settings.COMMENTS_SPAM_RETENTION_DAYS)
    ip_cutoff = now - timedelta(days=settings.COMMENTS_IP_RETENTION_DAYS)
    deleted, _per_model = model.objects.filter(status=model.Status.SPAM, created__lt=spam_cutoff).delete()
    spam_deleted = _per_model.get(model._meta.label, 0)
    cleared = model.objects.filter(created__lt=ip_cutoff).exclude(ip_hash="").update(ip_hash="")
    return spam_deleted, cleared


def personal_data_export(email, *, absolute_url=lambda path: path):
    """Everything one reader sent (comments and topic suggestions), for a subject-access request."""
    from comments.models import Comment
    from comments.topics import suggestions_export

    comments = [
        {
            "id": comment.pk,
            "article": comment.article.title,
            "article_url": absolute_url(comment.article.get_absolute_url()),
            "reply_to": comment.parent_id,
            "name": comment.name,
            "email": comment.email,
            "comment": comment.body,
            "status": comment.status,
            "created": comment.created.isoformat(),
            "notify_me": comment.notify_me,
        }
        for comment in Comment.objects.filter(email__iexact=email).select_related("article").order_by("created", "id")
    ]
    return {"email": email, "comments": comments, "topic_suggestions": suggestions_export(email)}


def personal_data_erase(email):
    """Delete everything one reader sent; returns (comments erased, suggestions erased)."""
    from comments.models import Comment
    from comments.topics import suggestions_erase

    _deleted, per_model = Comment.objects.filter(email__iexact=email).delete()
    return per_model.get(Comment._meta.label, 0), suggestions_erase(email)

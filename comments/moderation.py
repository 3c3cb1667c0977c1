"""The comment workflows, called alike by the public view and by the admin.

Each one stores its change in a transaction and queues its emails for after the commit.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments import notifications
from comments.models import Comment, CommentReport
from core.models import SiteSettings
from submissions import policy
from submissions.models import HoldReason
from submissions.personal_details import find_personal_details, redact
from submissions.privacy import hash_ip, user_agent

Status = Comment.Status


def comment_create(*, form, article, request):
    """Store a valid `CommentForm` submission with the status the policy gives it."""
    data = form.cleaned_data
    captcha_result = data["captcha"]
    email = data["email"]
    decision = policy.decide(
        captcha=captcha_result,
        text=form.visible_text,
        honeypot_filled=form.honeypot_filled,
        personal_details=bool(find_personal_details(data["name"]) or find_personal_details(data["body"])),
        email_is_known=lambda: Comment.objects.approved().filter(email__iexact=email, is_staff_reply=False).exists(),
    )
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=data.get("parent"),
            name=data["name"],
            email=email,
            body=data["body"],
            notify_me=data.get("notify_me", False),
            status=decision.status,
            hold_reasons=decision.reasons,
            captcha_score=captcha_result.score,
            captcha_action=captcha_result.action,
            captcha_hostname_ok=captcha_result.hostname_ok,
            ip_hash=hash_ip(request),
            user_agent=user_agent(request),
        )
        if comment.status == Status.PENDING:
            notifications.notify_moderators_of_held(comment, request=request)
        elif comment.status == Status.APPROVED:
            notifications.notify_commenter_of_approval(comment, request=request)
            notifications.notify_author_of_published_comment(comment, request=request)
    return comment


def comments_set_status(*, comments, status, by, request=None):
    """Move comments to `status`, recording who decided and when; returns how many changed."""
    changed = 0
    now = timezone.now()
    with transaction.atomic():
        for comment in comments.select_related("article__author").select_for_update(of=("self",)):
            if comment.status == status:
                continue
            # Readers and the author hear once, when the comment first goes public, not on every
            # later re-publish (after readers' reports hid it, or a spam round trip).
            first_publication = status == Status.APPROVED and comment.first_published_at is None
            comment.status = status
            comment.moderated_by = by
            comment.moderated_at = now
            comment.save(update_fields=["status", "moderated_by", "moderated_at", "first_published_at"])
            changed += 1
            if first_publication:
                notifications.notify_commenter_of_approval(comment, request=request)
                notifications.notify_author_of_published_comment(comment, request=request)
    return changed


def comment_reply(*, comment, body, by, request=None):
    """Publish a clinic reply under `comment` (under its parent when it is itself a reply).

    Answering a held comment publishes it too: the moderator has read it.
    """
    thread = comment.parent or comment
    now = timezone.now()
    with transaction.atomic():
        if thread.status != Status.APPROVED:
            comments_set_status(
                comments=Comment.objects.filter(pk=thread.pk), status=Status.APPROVED, by=by, request=request
            )
            thread.refresh_from_db()
        reply = Comment.objects.create(
            article=thread.article,
            parent=thread,
            name=SiteSettings.load().clinic_name,
            email=getattr(by, "email", "") or settings.DEFAULT_FROM_EMAIL,
            body=body.strip(),
            status=Status.APPROVED,
            is_staff_reply=True,
            moderated_by=by,
            moderated_at=now,
        )
        notifications.notify_commenter_of_reply(reply, request=request)
    return reply


def comment_redact(*, comment, by):
    """Replace each personal detail in the comment with "[removed]", recording who did it and when.

    Returns what was removed (nothing, and no save, when nothing was found). A published comment's
    pages drop on the save like any other change to it (CommentsConfig.ready()).
    """
    name, in_name = redact(comment.name)
    body, in_body = redact(comment.body)
    if not in_name and not in_body:
        return []
    comment.name = name[: Comment.NAME_MAX_LENGTH]  # "[removed]" may be longer than a short email
    comment.body = body
    comment.moderated_by = by
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["name", "body", "body_html", "moderated_by", "moderated_at"])
    return [*in_name, *in_body]


def comment_report_create(*, comment, form, reporter_hash, request=None):
    """Store a reader's report of a published comment; returns (stored, hidden).

    A reader counts once per comment (one row per address hash). A report the CAPTCHA or the
    honeypot marks as a bot's is not kept, and the reader is thanked alike. When
    COMMENTS_REPORTS_TO_HIDE readers have reported it since a moderator last decided on it, the
    comment leaves the site (back to the queue, held as "reported") until a moderator decides.
    """
    data = form.cleaned_data
    captcha = data["captcha"]
    decision = policy.decide(captcha=captcha, text=form.visible_text, honeypot_filled=form.honeypot_filled)
    if decision.status == Status.SPAM:
        return False, False
    with transaction.atomic():
        _report, stored = CommentReport.objects.get_or_create(
            comment=comment, reporter_hash=reporter_hash, defaults={"reason": data["reason"], "text": data["text"]}
        )
        if not stored:
            return False, False
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        reports = comment.reports.all()
        if comment.moderated_at is not None:
            reports = reports.filter(created__gt=comment.moderated_at)
        if comment.status != Status.APPROVED or reports.count() < settings.COMMENTS_REPORTS_TO_HIDE:
            return True, False
        comment.status = Status.PENDING
        comment.hold_reasons = [*comment.hold_reasons, str(HoldReason.REPORTED)]
        comment.save(update_fields=["status", "hold_reasons"])
        notifications.notify_moderators_of_held(comment, request=request)
    return True, True

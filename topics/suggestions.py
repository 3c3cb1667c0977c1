"""The topic-suggestion workflows, called alike by the public views and by the admin.

A suggestion goes through the comments' submission policy, rate limit, CAPTCHA field,
address hashing and email helpers (submissions.policy, .ratelimit, .captcha, .privacy,
.notifications): the same code, so one change to the rules covers both.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import pagecache
from core.models import SiteSettings
from submissions import mail, policy
from submissions.conf import submission_setting
from submissions.models import ModeratedSubmission
from submissions.privacy import hash_ip, user_agent
from submissions.unsubscribe import Mailing, unsubscribe_headers, unsubscribe_token
from topics.models import TopicSuggestion, TopicVote

Status = TopicSuggestion.Status
VOTE_COOKIE = "topic_votes"
VOTE_COOKIE_SALT = "topics.suggestions.votes"
VOTE_COOKIE_MAX_IDS = 200
VOTE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Votes and merges show on the topic board only.
BOARD_PAGES = ["view:topics:board"]
# Readers may back several topics in a row; a script clicking every button may not.
VOTE_RATE_LIMIT = 30

TOPIC_EMAILS = Mailing(
    gettext_lazy("Topic emails"),
    gettext_lazy("Stop the emails telling you when a topic you suggested is published?"),
    gettext_lazy(
        "We will not email you when the topics you suggested are published. Your suggestions stay on our list."
    ),
    back_url="topics:board",
    back_text=gettext_lazy("See the topics readers asked for"),
)


# --- Readers ---------------------------------------------------------------------------


def suggestion_create(*, form, request):
    """Store a valid `TopicSuggestionForm` submission; the policy only chooses new or spam.

    A suggestion is never public on arrival (it appears on the board once staff plan it), so
    the policy's "approved" and "pending" both mean new; its hold reasons stay on the row.
    The reader who suggests a topic is the first who wants it: it starts with their vote.
    """
    data = form.cleaned_data
    captcha_result = data["captcha"]
    decision = policy.decide(captcha=captcha_result, text=form.visible_text, honeypot_filled=form.honeypot_filled)
    status = Status.SPAM if decision.status == ModeratedSubmission.Status.SPAM else Status.NEW
    ip_hash = hash_ip(request)
    with transaction.atomic():
        suggestion = TopicSuggestion.objects.create(
            topic=data["topic"],
            details=data.get("details", ""),
            name=data.get("name", ""),
            email=data.get("email", ""),
            notify_when_published=bool(data.get("email")) and data.get("notify_when_published", False),
            status=status,
            votes=1,
            hold_reasons=decision.reasons,
            captcha_score=captcha_result.score,
            captcha_action=captcha_result.action,
            captcha_hostname_ok=captcha_result.hostname_ok,
            ip_hash=ip_hash,
            user_agent=user_agent(request),
        )
        TopicVote.objects.create(suggestion=suggestion, ip_hash=ip_hash)
        if status == Status.NEW:
            notify_moderators_of_suggestion(suggestion, request=request)
    return suggestion


def voted_ids(request):
    """Suggestion ids this browser has backed, from its signed cookie (empty when tampered with)."""
    raw = request.get_signed_cookie(VOTE_COOKIE, default="", salt=VOTE_COOKIE_SALT)
    return {int(part) for part in raw.split(",") if part.isdigit()}


def remember_vote(response, *, request, suggestion):
    """Record in the browser that it backs `suggestion` (voted for it, or suggested it).

    The cookie is sent only to the /topics/ pages, the only ones that read it: a reader who voted
    still gets every other page from the page cache.
    """
    ids = [str(pk) for pk in sorted(voted_ids(request) | {suggestion.pk})][-VOTE_COOKIE_MAX_IDS:]
    response.set_signed_cookie(
        VOTE_COOKIE,
        ",".join(ids),
        salt=VOTE_COOKIE_SALT,
        max_age=VOTE_COOKIE_MAX_AGE,
        path=reverse("topics:board"),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def suggestion_vote(*, suggestion, request):
    """Count one "I want this too" unless this client already did: its cookie or its address.

    Returns True when the vote counted. The count changes through `update()` (no signals),
    so the cached pages are dropped here.
    """
    if suggestion.pk in voted_ids(request):
        return False
    ip_hash = hash_ip(request)
    with transaction.atomic():
        if ip_hash:
            _vote, created = TopicVote.objects.get_or_create(suggestion=suggestion, ip_hash=ip_hash)
            if not created:
                return False
        else:
            TopicVote.objects.create(suggestion=suggestion)
        TopicSuggestion.objects.filter(pk=suggestion.pk).update(votes=F("votes") + 1, activity_at=timezone.now())
        pagecache.invalidate_after_commit(pages=BOARD_PAGES)
    return True


def votes_purge(*, now=None):
    """Delete vote records (address hashes) past SUBMISSIONS_IP_RETENTION_DAYS; the counts stay."""
    cutoff = (now or timezone.now()) - timedelta(days=submission_setting("SUBMISSIONS_IP_RETENTION_DAYS"))
    deleted, _per_model = TopicVote.objects.filter(created__lt=cutoff).delete()
    return deleted


def votes_purge_report():
    return f"topic votes: {votes_purge()} old vote records deleted."


# --- Staff -----------------------------------------------------------------------------


def suggestions_set_status(*, suggestions, status, by):
    """Move suggestions to `status`, recording who decided and when; returns how many changed.

    Publishing needs the answering article: use `suggestion_publish()`.
    """
    if status == Status.PUBLISHED:
        raise ValueError("Publish a suggestion with suggestion_publish(), which needs its article.")
    changed = 0
    now = timezone.now()
    with transaction.atomic():
        for suggestion in suggestions.select_for_update(of=("self",)):
            if suggestion.status == status:
                continue
            suggestion.status = status
            suggestion.moderated_by = by
            suggestion.moderated_at = now
            fields = ["status", "moderated_by", "moderated_at"]
            if status == Status.PLANNED:
                suggestion.activity_at = now
                fields.append("activity_at")
            suggestion.save(update_fields=fields)
            changed += 1
    return changed


def suggestion_publish(*, suggestion, article, by, request=None):
    """Link the answering article, mark the suggestion and its merged duplicates published,
    and email each consenting reader once; returns how many emails were queued."""
    now = timezone.now()
    with transaction.atomic():
        family = list(
            TopicSuggestion.objects.select_for_update().filter(Q(pk=suggestion.pk) | Q(merged_into=suggestion.pk))
        )
        newly_answered = []
        for member in family:
            if member.status == Status.PUBLISHED and member.article_id == article.pk:
                continue
            member.status = Status.PUBLISHED
            member.article = article
            member.moderated_by = by
            member.moderated_at = now
            fields = ["status", "article", "moderated_by", "moderated_at"]
            if member.pk == suggestion.pk:
                member.activity_at = now
                fields.append("activity_at")
            member.save(update_fields=fields)
            newly_answered.append(member)
        return _notify_suggesters(newly_answered, article=article, request=request)


def suggestions_merge(*, survivor, duplicates, by, request=None):
    """Fold duplicates into `survivor`: their votes, vote records and readers move there.

    Each duplicate points to the survivor (as do the ones merged into it earlier). Returns
    how many suggestions were merged.
    """
    now = timezone.now()
    with transaction.atomic():
        survivor = TopicSuggestion.objects.select_for_update().get(pk=survivor.pk)
        merged = list(
            TopicSuggestion.objects.select_for_update()
            .filter(pk__in=[duplicate.pk for duplicate in duplicates])
            .exclude(pk=survivor.pk)
        )
        merged_ids = [duplicate.pk for duplicate in merged]
        if not merged_ids:
            return 0
        TopicSuggestion.objects.filter(merged_into__in=merged_ids).update(merged_into=survivor)
        _move_vote_records(from_ids=merged_ids, to=survivor)
        moved_votes = sum(duplicate.votes for duplicate in merged)
        TopicSuggestion.objects.filter(pk__in=merged_ids).update(
            merged_into=survivor, votes=0, moderated_by=by, moderated_at=now
        )
        TopicSuggestion.objects.filter(pk=survivor.pk).update(votes=F("votes") + moved_votes, activity_at=now)
        pagecache.invalidate_after_commit(pages=BOARD_PAGES)
        if survivor.status == Status.PUBLISHED and survivor.article_id:
            # Readers who asked for an already answered topic hear about it now.
            suggestion_publish(suggestion=survivor, article=survivor.article, by=by, request=request)
    return len(merged_ids)


def _move_vote_records(*, from_ids, to):
    """Re-point vote records to the survivor, keeping one per address (the unique rule)."""
    seen = set(TopicVote.objects.filter(suggestion=to).exclude(ip_hash="").values_list("ip_hash", flat=True))
    keep, drop = [], []
    for vote in TopicVote.objects.filter(suggestion_id__in=from_ids).order_by("created", "id"):
        if vote.ip_hash and vote.ip_hash in seen:
            drop.append(vote.pk)
        else:
            seen.add(vote.ip_hash)
            keep.append(vote.pk)
    TopicVote.objects.filter(pk__in=drop).delete()
    TopicVote.objects.filter(pk__in=keep).update(suggestion=to)


# --- Emails ------------------------------------------------------------------------------


def notify_moderators_of_suggestion(suggestion, *, request=None):
    recipients = SiteSettings.load().moderator_email_list
    admin_url = mail.absolute_url(request, reverse("admin:topics_topicsuggestion_change", args=[suggestion.pk]))
    context = {"suggestion": suggestion, "admin_url": admin_url}
    subject = _("A topic suggestion awaits review: “%(topic)s”") % {"topic": suggestion.topic}
    mail.after_commit(lambda: mail.send_safely(subject, "topics/email/held.txt", context, recipients))


def _notify_suggesters(suggestions, *, article, request):
    """One "the article you asked for is live" email per consenting address, however many rows."""
    by_email = {}
    for suggestion in suggestions:
        if suggestion.notify_when_published and suggestion.email:
            email = suggestion.email.strip().lower()
            if email not in by_email or (suggestion.name and not by_email[email].name):
                by_email[email] = suggestion  # greet the reader by name when any of their rows has one
    site_settings = SiteSettings.load()
    article_url = mail.absolute_url(request, article.get_absolute_url())
    for email, suggestion in by_email.items():
        unsubscribe_url = mail.absolute_url(
            request, reverse("topics:unsubscribe", args=[unsubscribe_token(suggestion)])
        )
        context = {
            "suggestion": suggestion,
            "article": article,
            "article_url": article_url,
            "unsubscribe_url": unsubscribe_url,
            "site_settings": site_settings,
        }
        headers = unsubscribe_headers(unsubscribe_url)
        subject = _("The article you asked for is live: “%(title)s”") % {"title": article.title}
        mail.after_commit(
            lambda subject=subject, context=context, email=email, headers=headers: mail.send_safely(
                subject, "topics/email/published.txt", context, [email], headers=headers
            )
        )
    return len(by_email)

"""The topic-suggestion workflows, called alike by the public views and by the admin.

A suggestion goes through the same submission policy, CAPTCHA field and address hashing as a
comment (submissions.policy, .captcha, .privacy): one change to the rules covers both. Each
workflow stores its change in a transaction and queues its emails for after the commit.
"""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

import pagecache
from submissions import policy
from submissions.models import ModeratedSubmission
from submissions.personal_details import find_personal_details
from submissions.privacy import hash_ip, user_agent
from topics import notifications
from topics.models import TopicSuggestion, TopicVote

Status = TopicSuggestion.Status
# Votes and merges show on the topic board only.
BOARD_PAGES = ["view:topics:board"]


def suggestion_create(*, form, request):
    """Store a valid `TopicSuggestionForm` submission; the policy only chooses new or spam.

    A suggestion is never public on arrival (it appears on the board once staff plan it), so
    the policy's "approved" and "pending" both mean new; its hold reasons stay on the row.
    The reader who suggests a topic is the first who wants it: it starts with their vote.
    """
    data = form.cleaned_data
    captcha_result = data["captcha"]
    decision = policy.decide(
        captcha=captcha_result,
        text=form.visible_text,
        honeypot_filled=form.honeypot_filled,
        personal_details=bool(find_personal_details(form.visible_text)),
    )
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
            notifications.notify_moderators_of_suggestion(suggestion, request=request)
    return suggestion


def suggestions_set_status(*, suggestions, status, by):
    """Move suggestions to `status`, recording who decided and when; returns how many changed.

    Publishing needs the answering article: use `suggestion_publish()`. A topic with personal
    details is never planned, since the board would show it to everyone: it is reworded first.
    """
    if status == Status.PUBLISHED:
        raise ValueError("Publish a suggestion with suggestion_publish(), which needs its article.")
    changed = 0
    now = timezone.now()
    with transaction.atomic():
        for suggestion in suggestions.select_for_update(of=("self",)):
            if suggestion.status == status or (status == Status.PLANNED and suggestion.personal_details):
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
        return notifications.notify_suggesters(newly_answered, article=article, request=request)


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

"""Moderators remove a reader's personal details before publishing, and the clinic's own replies
are checked the same way."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from comments.models import Comment
from comments.tests.factories import make_comment

pytestmark = pytest.mark.django_db

PHONE_COMMENT = "Please ring me on 07700 900123 about my L4-L5 disc."
REDACTED = "Please ring me on [removed] about my L4-L5 disc."


def change(client, comment, **data):
    return client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {"status": comment.status, "clinic_reply": "", **data},
        follow=True,
    )


def test_the_redact_action_removes_the_details_and_logs_who_did_it(moderator_client, moderator, article):
    comment = make_comment(article, status="pending", body=PHONE_COMMENT, hold_reasons=["personal_details"])

    response = moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "redact_personal_details", "_selected_action": [comment.pk]},
        follow=True,
    )

    assert "1 comment redacted" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == REDACTED
    assert "07700" not in comment.body_html
    assert (comment.moderated_by, comment.status) == (moderator, "pending")
    assert comment.moderated_at is not None
    entry = LogEntry.objects.get(object_id=str(comment.pk))
    assert entry.user == moderator
    assert "Removed personal details: a phone number" in entry.get_change_message()


def test_the_change_form_names_what_was_found_and_redacts_before_publishing(moderator_client, article, client):
    comment = make_comment(article, status="pending", body=PHONE_COMMENT, hold_reasons=["personal_details"])
    form_page = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()
    assert "a phone number" in form_page

    change(moderator_client, comment, status="approved", redact_personal_details="on")

    comment.refresh_from_db()
    assert (comment.status, comment.body) == ("approved", REDACTED)
    assert LogEntry.objects.filter(object_id=str(comment.pk), change_message__contains="phone number").exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "[removed]" in page and "07700 900123" not in page


def test_a_clinic_reply_with_personal_details_waits_for_the_moderator_to_confirm(moderator_client, article):
    question = make_comment(article, body="Who do I call?")
    reply = "Call Dr Shah's mobile on 07700 900456."

    response = change(moderator_client, question, clinic_reply=reply)

    assert not Comment.objects.filter(parent=question).exists()
    assert "seems to contain a phone number" in response.content.decode()

    change(moderator_client, question, clinic_reply=reply, clinic_reply_confirmed="on")

    assert Comment.objects.get(parent=question).body == reply


def test_redaction_covers_the_name_shown_with_the_comment(moderator, article):
    from comments.moderation import comment_redact

    comment = make_comment(article, status="pending", name="Ana 07700 900123", body="Thank you.")

    found = comment_redact(comment=comment, by=moderator)

    comment.refresh_from_db()
    assert (comment.name, comment.body, [f.kind for f in found]) == ("Ana [removed]", "Thank you.", ["phone"])

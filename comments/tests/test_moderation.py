"""Moderation in the admin: the queue, bulk actions, clinic replies, permissions and emails."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from comments.moderation import comment_reply, comments_set_status
from comments.tests.factories import comment_data, make_comment
from core.models import SiteSettings

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


def act(client, action, comments):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_the_moderators_group_has_exactly_the_comment_permissions_it_needs():
    codenames = set(
        Group.objects.get(name="Moderators")
        .permissions.filter(content_type__app_label="comments", content_type__model="comment")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_comment", "change_comment", "delete_comment"}


def test_the_queue_lists_held_comments_first_then_oldest_first(moderator_client, article):
    approved = make_comment(article, body="Already published")
    old_pending = make_comment(article, status="pending", body="Waiting longest")
    new_pending = make_comment(article, status="pending", body="Waiting shortest")

    response = moderator_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    shown = [c.pk for c in response.context["cl"].result_list]
    assert shown == [old_pending.pk, new_pending.pk, approved.pk]


def test_the_queue_shows_score_and_reasons_and_filters_by_reason(moderator_client, article):
    make_comment(article, status="pending", body="Unclear score", captcha_score=0.5, hold_reasons=["low_score"])
    make_comment(article, status="pending", body="No token here", hold_reasons=["captcha_missing"])

    text = moderator_client.get(reverse(CHANGELIST)).content.decode()
    assert "0.5" in text and "CAPTCHA score below auto-approval" in text

    filtered = moderator_client.get(reverse(CHANGELIST), {"reason": "captcha_missing"}).content.decode()
    assert "No token here" in filtered and "Unclear score" not in filtered


def test_bulk_approve_records_who_and_when_and_publishes(moderator_client, moderator, article, client):
    pending = make_comment(article, status="pending", body="Please publish me")

    act(moderator_client, "approve", [pending])

    pending.refresh_from_db()
    assert pending.status == "approved"
    assert pending.moderated_by == moderator and pending.moderated_at is not None
    assert "Please publish me" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [("mark_spam", "pending", "spam"), ("mark_not_spam", "spam", "pending"), ("remove", "approved", "removed")],
)
def test_bulk_actions_move_comments_between_states(moderator_client, moderator, article, action, start, end):
    comment = make_comment(article, status=start)

    act(moderator_client, action, [comment])

    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (end, moderator)


def test_not_spam_leaves_comments_that_are_not_spam_alone(moderator_client, article):
    comment = make_comment(article, status="approved")

    act(moderator_client, "mark_not_spam", [comment])

    comment.refresh_from_db()
    assert comment.status == "approved"


def test_staff_without_the_moderators_group_cannot_see_or_change_comments(client, article):
    clerk = User.objects.create_user("clerk", "clerk@clinic.example", "a long test password", is_staff=True)
    client.force_login(clerk)
    comment = make_comment(article, status="pending")

    assert client.get(reverse(CHANGELIST)).status_code == 403
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_a_view_only_user_cannot_run_the_moderation_actions(client, article):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("viewer", "viewer@clinic.example", "a long test password", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = make_comment(article, status="pending")

    response = client.get(reverse(CHANGELIST))
    actions = [choice[0] for choice in response.context["action_form"].fields["action"].choices]

    assert "approve" not in actions and "export_by_email" in actions
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_moderators_cannot_add_comments_by_hand(moderator_client):
    assert moderator_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_a_moderator_replies_as_the_clinic_from_the_admin(
    moderator_client, moderator, article, client, django_capture_on_commit_callbacks
):
    question = make_comment(article, status="pending", body="Can I exercise after an injection?", notify_me=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("admin:comments_comment_change", args=[question.pk]),
            {"status": "pending", "clinic_reply": "Gentle walking is usually fine the next day."},
            follow=True,
        )

    assert response.status_code == 200
    reply = Comment.objects.get(parent=question)
    assert reply.is_staff_reply and reply.status == "approved" and reply.moderated_by == moderator
    question.refresh_from_db()
    assert question.status == "approved"  # answering a held comment publishes it
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Gentle walking is usually fine the next day." in page and "Clinic team" in page
    assert page.index("Can I exercise") < page.index("Gentle walking")
    assert any("replied to your comment" in message.subject for message in mail.outbox)


def test_a_reply_to_a_reply_joins_the_same_thread(article, moderator):
    top = make_comment(article)
    reader_reply = make_comment(article, parent=top)

    reply = comment_reply(comment=reader_reply, body="Thanks to you both.", by=moderator)

    assert reply.parent == top


def test_changing_the_status_on_the_change_form_records_the_moderator(moderator_client, moderator, article):
    comment = make_comment(article, status="pending")

    moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]), {"status": "spam", "clinic_reply": ""}
    )

    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("spam", moderator)


def test_the_admin_index_shows_how_many_comments_wait(moderator_client, article):
    make_comment(article, status="pending")
    make_comment(article, status="pending")
    make_comment(article, status="approved")

    text = moderator_client.get(reverse("admin:index")).content.decode()

    assert "comments: 2 waiting" in text


def test_the_moderation_queue_is_never_called_review_which_is_the_medical_one(moderator_client, article):
    """Moderators approve what readers send; clinicians review articles. The words stay apart."""
    make_comment(article, status="pending")

    index = moderator_client.get(reverse("admin:index")).content.decode()
    queue = moderator_client.get(reverse("admin:comments_comment_changelist")).content.decode()

    assert "Moderation queue" in index and "Waiting for review" not in index
    assert "Awaiting moderation" in queue and "Awaiting review" not in queue
    assert "back to the moderation queue" in queue
    assert Comment.moderation_queue_status() == Comment.Status.PENDING
    assert not hasattr(Comment, "review_status")


# --- Notifications ---------------------------------------------------------------------


@pytest.fixture
def moderators_emails():
    site = SiteSettings.load()
    site.moderator_emails = "desk@clinic.example\nnurse@clinic.example"
    site.save()


def post_comment(client, article, **overrides):
    return client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(**overrides))


def test_moderators_hear_of_each_held_comment_after_it_is_committed(
    client, article, moderators_emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, body="A question for the team")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"desk@clinic.example", "nurse@clinic.example"}
    assert message.subject.startswith("A comment awaits moderation on")
    assert "A question for the team" in message.body and "/comments/comment/" in message.body


def test_moderators_are_not_emailed_about_spam(client, article, moderators_emails, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, website="http://bot.example")

    assert Comment.objects.get().status == "spam"
    assert mail.outbox == []


def test_an_opted_in_reader_is_emailed_on_approval_with_a_working_unsubscribe_link(
    client, article, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article, status="pending", email="ana@example.com", notify_me=True)

    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=Comment.objects.filter(pk=comment.pk), status="approved", by=moderator)

    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    body = mail.outbox[0].body
    assert comment.get_absolute_url() in body  # the lasting link, which leads to the comment wherever it is
    unsubscribe_url = next(line for line in body.splitlines() if "/comments/unsubscribe/" in line).strip()
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"

    response = client.post(unsubscribe_url)

    assert response.status_code == 200 and "Comment emails stopped" in response.content.decode()
    comment.refresh_from_db()
    assert comment.notify_me is False


def test_a_tampered_unsubscribe_link_changes_nothing(client, article):
    comment = make_comment(article, notify_me=True)

    response = client.get(reverse("comments:unsubscribe", args=["reader@example.com:forged"]))

    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.notify_me is True


def test_a_reader_who_did_not_opt_in_gets_no_email(article, moderator, django_capture_on_commit_callbacks):
    comment = make_comment(article, status="pending", notify_me=False)

    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=Comment.objects.filter(pk=comment.pk), status="approved", by=moderator)
        comment_reply(comment=comment, body="Thank you.", by=moderator)

    assert mail.outbox == []


def test_a_failing_mail_backend_loses_no_comment(
    client, article, moderators_emails, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "comments.tests.broken_mail.BrokenBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, article, body="Please keep me")

    assert response.status_code == 302
    assert Comment.objects.get().body == "Please keep me"
    assert "Could not send" in caplog.text


def test_the_change_page_shows_the_signals_behind_the_decision(moderator_client, article):
    comment = make_comment(
        article,
        status="pending",
        captcha_score=0.4,
        captcha_action="comment",
        hold_reasons=["low_score"],
        ip_hash="f" * 64,
    )

    text = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()

    assert "CAPTCHA score below auto-approval" in text and "0.4" in text
    assert "Reply as the clinic" in text
    assert "f" * 64 not in text  # the address hash is for rate limits and retention, not for display


def test_republishing_a_removed_comment_does_not_email_the_reader_again(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article, notify_me=True)
    decide = Comment.objects.filter(pk=comment.pk)

    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=decide, status="removed", by=moderator)
        comments_set_status(comments=decide, status="approved", by=moderator)

    comment.refresh_from_db()
    assert comment.status == "approved"
    assert mail.outbox == []


def test_the_article_author_hears_of_a_newly_published_comment(article, moderator, django_capture_on_commit_callbacks):
    article.author.email = "dr.author@clinic.example"
    article.author.save()
    comment = make_comment(article, status="pending", name="Lee", body="The pacing tips helped.")

    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=Comment.objects.filter(pk=comment.pk), status="approved", by=moderator)
        comment_reply(comment=comment, body="Glad to hear it.", by=moderator)

    assert [m.to for m in mail.outbox] == [["dr.author@clinic.example"]]
    assert "Lee" in mail.outbox[0].body and "The pacing tips helped." in mail.outbox[0].body
    assert article.title in mail.outbox[0].subject


def test_an_author_without_an_email_gets_nothing_and_the_approval_still_happens(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article, status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=Comment.objects.filter(pk=comment.pk), status="approved", by=moderator)

    comment.refresh_from_db()
    assert comment.status == "approved"
    assert mail.outbox == []


PUBLISHED_MAIL = ("Your comment is published", "New comment on")


def published_mail():
    return [m.subject for m in mail.outbox if m.subject.startswith(PUBLISHED_MAIL)]


@pytest.fixture
def author_with_email(article):
    article.author.email = "dr.author@clinic.example"
    article.author.save()


def test_a_comment_hidden_by_reports_and_approved_again_is_announced_once(
    client, article, moderator, author_with_email, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_REPORTS_TO_HIDE = 1
    comment = make_comment(article, status="pending", notify_me=True, email="ana@example.com")
    approve = Comment.objects.filter(pk=comment.pk)

    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=approve, status="approved", by=moderator)
        client.post(
            reverse("comments:report", args=[comment.pk]),
            {"reason": "spam", "text": "", "captcha": "token-from-the-browser", "website": ""},
        )
        comment.refresh_from_db()
        assert comment.status == "pending"
        comments_set_status(comments=approve, status="approved", by=moderator)

    assert sorted(published_mail()) == ["New comment on “Easing lower back pain”", "Your comment is published"]


def test_a_comment_marked_spam_then_not_spam_and_approved_again_is_announced_once(
    moderator_client, article, author_with_email, django_capture_on_commit_callbacks
):
    comment = make_comment(article, status="pending", notify_me=True, email="ana@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        for action in ["approve", "mark_spam", "mark_not_spam", "approve"]:
            act(moderator_client, action, [comment])

    comment.refresh_from_db()
    assert comment.status == "approved"
    assert len(published_mail()) == 2


def test_a_comment_removed_from_the_queue_is_announced_when_it_is_first_published(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article, status="pending", notify_me=True, email="ana@example.com")
    decide = Comment.objects.filter(pk=comment.pk)

    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=decide, status="removed", by=moderator)
        comments_set_status(comments=decide, status="approved", by=moderator)

    assert published_mail() == ["Your comment is published"]

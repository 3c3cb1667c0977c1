"""The suggestion pipeline run by moderators: statuses, publishing with an article, merging, privacy."""

import io
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article
from topics.models import TopicSuggestion, TopicVote
from topics.moderation import suggestion_publish, suggestions_merge

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:topics_topicsuggestion_changelist"
Status = TopicSuggestion.Status


def make_suggestion(**fields):
    fields.setdefault("topic", "Pacing daily activities")
    fields.setdefault("status", Status.NEW)
    return TopicSuggestion.objects.create(**fields)


def act(client, action, suggestions):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [s.pk for s in suggestions]}, follow=True
    )


def change(client, suggestion, **data):
    form = {"topic": suggestion.topic, "details": suggestion.details, "status": suggestion.status, "staff_note": ""}
    form.update(data)
    return client.post(reverse("admin:topics_topicsuggestion_change", args=[suggestion.pk]), form, follow=True)


def test_moderators_may_work_suggestions_and_look_up_articles():
    codenames = set(
        Group.objects.get(name="Moderators")
        .permissions.filter(content_type__model__in=["topicsuggestion", "article"])
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_topicsuggestion", "change_topicsuggestion", "delete_topicsuggestion", "view_article"}


def test_the_pipeline_lists_new_ones_first_with_votes_age_and_reasons(moderator_client):
    planned = make_suggestion(topic="Planned already", status=Status.PLANNED, votes=9)
    new = make_suggestion(topic="Brand new", hold_reasons=["low_score"])

    response = moderator_client.get(reverse(CHANGELIST))

    assert [s.pk for s in response.context["cl"].result_list] == [new.pk, planned.pk]
    page = response.content.decode()
    assert "CAPTCHA score below auto-approval" in page
    assert "Brand new" in page and "Planned already" in page


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_under_review", "under_review"), ("plan", "planned"), ("decline", "declined"), ("mark_spam", "spam")],
)
def test_each_action_records_the_decision_with_who_and_when(moderator_client, moderator, action, status):
    suggestion = make_suggestion()

    act(moderator_client, action, [suggestion])

    suggestion.refresh_from_db()
    assert suggestion.status == status
    assert suggestion.moderated_by == moderator
    assert timezone.now() - suggestion.moderated_at < timedelta(minutes=1)


def test_a_planned_suggestion_appears_on_the_board(moderator_client, client):
    suggestion = make_suggestion(topic="Flare-up plans")

    act(moderator_client, "plan", [suggestion])
    moderator_client.logout()

    assert "Flare-up plans" in client.get(reverse("topics:board")).content.decode()


def test_choosing_the_article_publishes_and_mails_each_consenting_suggester_once(
    moderator_client, moderator, django_capture_on_commit_callbacks
):
    article = make_article(title="Sleeping with sciatica", slug="sleeping-with-sciatica")
    survivor = make_suggestion(status=Status.PLANNED, name="Rosa", email="rosa@example.com", notify_when_published=True)
    make_suggestion(merged_into=survivor, email="ROSA@example.com", notify_when_published=True)
    make_suggestion(merged_into=survivor, email="sam@example.com", notify_when_published=True)
    make_suggestion(merged_into=survivor, email="quiet@example.com", notify_when_published=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = change(moderator_client, survivor, article=article.pk)

    assert "Published. 2 readers who asked for it will get an email." in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["rosa@example.com", "sam@example.com"]
    message = next(m for m in mail.outbox if m.to == ["rosa@example.com"])
    assert "The article you asked for is live" in message.subject
    assert f"{settings.SITE_URL}{article.get_absolute_url()}" in message.body
    assert "Hello Rosa," in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    assert set(TopicSuggestion.objects.values_list("status", flat=True)) == {"published"}
    survivor.refresh_from_db()
    assert (survivor.article, survivor.moderated_by) == (article, moderator)

    # The link in the mail works and stops further topic emails.
    moderator_client.post(unsubscribe.replace(settings.SITE_URL, ""))
    assert not TopicSuggestion.objects.filter(email__iexact="rosa@example.com", notify_when_published=True).exists()


def test_saving_a_published_suggestion_again_sends_no_second_mail(moderator, django_capture_on_commit_callbacks):
    article = make_article()
    suggestion = make_suggestion(email="rosa@example.com", notify_when_published=True)
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_publish(suggestion=suggestion, article=article, by=moderator)
        suggestion_publish(suggestion=suggestion, article=article, by=moderator)

    assert len(mail.outbox) == 1


def test_no_mail_to_a_suggester_without_consent(moderator_client, django_capture_on_commit_callbacks):
    suggestion = make_suggestion(email="quiet@example.com", notify_when_published=False)

    with django_capture_on_commit_callbacks(execute=True):
        change(moderator_client, suggestion, article=make_article().pk)

    assert mail.outbox == []
    suggestion.refresh_from_db()
    assert suggestion.status == Status.PUBLISHED


def test_an_article_that_is_not_live_cannot_answer_a_suggestion(moderator_client):
    draft = make_article(status=Article.Status.DRAFT)
    suggestion = make_suggestion()

    response = change(moderator_client, suggestion, article=draft.pk)

    assert "This article is not live yet." in response.content.decode()
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.article) == (Status.NEW, None)


def test_published_without_an_article_is_refused(moderator_client):
    suggestion = make_suggestion()

    response = change(moderator_client, suggestion, status=Status.PUBLISHED)

    assert "Please choose the article that answers this suggestion" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW


def test_a_mail_failure_is_logged_and_the_suggestion_stays_published(
    moderator, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "comments.tests.broken_mail.BrokenBackend"
    suggestion = make_suggestion(email="rosa@example.com", notify_when_published=True)

    with django_capture_on_commit_callbacks(execute=True):
        suggestion_publish(suggestion=suggestion, article=make_article(), by=moderator)

    suggestion.refresh_from_db()
    assert suggestion.status == Status.PUBLISHED
    assert "Could not send" in caplog.text


def test_editing_the_wording_changes_no_decision(moderator_client):
    suggestion = make_suggestion(topic="slep and sciatica")

    change(moderator_client, suggestion, topic="Sleep and sciatica", staff_note="Ask Dr Lee")

    suggestion.refresh_from_db()
    assert (suggestion.topic, suggestion.staff_note, suggestion.status) == (
        "Sleep and sciatica",
        "Ask Dr Lee",
        "new",
    )
    assert suggestion.moderated_by is None


def test_merging_keeps_every_vote_and_points_duplicates_to_the_survivor(moderator_client, moderator, client):
    planned = make_suggestion(topic="Heat or ice", status=Status.PLANNED, votes=3)
    duplicate = make_suggestion(topic="Should I use heat?", votes=2)
    earlier = make_suggestion(topic="Ice packs", merged_into=duplicate)
    TopicVote.objects.create(suggestion=planned, ip_hash="a")
    TopicVote.objects.create(suggestion=duplicate, ip_hash="a")
    TopicVote.objects.create(suggestion=duplicate, ip_hash="b")

    response = act(moderator_client, "merge_duplicates", [planned, duplicate])

    assert "1 suggestion merged into “Heat or ice”." in response.content.decode()
    planned.refresh_from_db()
    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert planned.votes == 5
    assert (duplicate.merged_into, earlier.merged_into) == (planned, planned)
    assert duplicate.moderated_by == moderator
    assert sorted(TopicVote.objects.filter(suggestion=planned).values_list("ip_hash", flat=True)) == ["a", "b"]
    moderator_client.logout()
    page = client.get(reverse("topics:board")).content.decode()
    assert "5 readers want this" in page
    assert "Should I use heat?" not in page


def test_a_reader_who_voted_for_a_duplicate_cannot_vote_again_after_the_merge(client, moderator):
    survivor = make_suggestion(status=Status.PLANNED)
    duplicate = make_suggestion(status=Status.PLANNED, topic="Same idea")
    client.post(reverse("topics:vote", args=[duplicate.pk]), REMOTE_ADDR="203.0.113.7")
    client.cookies.clear()

    suggestions_merge(survivor=survivor, duplicates=[duplicate], by=moderator)
    client.post(reverse("topics:vote", args=[survivor.pk]), REMOTE_ADDR="203.0.113.7")

    survivor.refresh_from_db()
    assert survivor.votes == 1


def test_merging_into_an_answered_topic_tells_the_new_consenting_readers(moderator, django_capture_on_commit_callbacks):
    article = make_article()
    answered = make_suggestion(status=Status.PUBLISHED, article=article)
    late = make_suggestion(email="late@example.com", notify_when_published=True)

    with django_capture_on_commit_callbacks(execute=True):
        suggestions_merge(survivor=answered, duplicates=[late], by=moderator)

    assert [message.to for message in mail.outbox] == [["late@example.com"]]
    late.refresh_from_db()
    assert (late.status, late.article, late.merged_into) == (Status.PUBLISHED, article, answered)


def test_merging_needs_two_suggestions(moderator_client):
    suggestion = make_suggestion()

    response = act(moderator_client, "merge_duplicates", [suggestion])

    assert "Please select at least two suggestions" in response.content.decode()


def test_the_article_admin_lists_the_suggestions_it_answers(admin_client):
    article = make_article()
    make_suggestion(topic="Asked by readers", status=Status.PUBLISHED, article=article, email="hide@example.com")
    make_suggestion(topic="About something else")

    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "topic suggestions this article answers" in page.lower()
    assert "Asked by readers" in page
    assert "About something else" not in page
    assert "hide@example.com" not in page


def test_suggestions_cannot_be_added_or_bulk_deleted_in_the_admin(moderator_client):
    assert moderator_client.get(reverse("admin:topics_topicsuggestion_add")).status_code == 403
    actions = moderator_client.get(reverse(CHANGELIST)).context["action_form"].fields["action"].choices
    assert "delete_selected" not in {name for name, _label in actions}


# --- Privacy -----------------------------------------------------------------------------


def test_export_gives_every_suggestion_of_one_email_as_json(moderator_client):
    mine = make_suggestion(topic="Mine", email="Rosa@example.com", name="Rosa")
    make_suggestion(topic="Also mine", email="rosa@example.com")
    make_suggestion(topic="Not mine", email="sam@example.com")

    response = act(moderator_client, "export_by_email", [mine])

    data = json.loads(response.content)
    assert data["email"] == "rosa@example.com"
    assert [row["topic"] for row in data["topic_suggestions"]] == ["Mine", "Also mine"]


def test_erase_deletes_every_suggestion_of_that_email_only(moderator_client):
    mine = make_suggestion(email="rosa@example.com")
    make_suggestion(email="ROSA@example.com")
    other = make_suggestion(email="sam@example.com")

    response = act(moderator_client, "erase_by_email", [mine])

    assert "Erased for this email: 0 comments and 2 topic suggestions." in response.content.decode()
    assert list(TopicSuggestion.objects.all()) == [other]


def test_export_and_erase_cover_comments_and_suggestions_of_the_same_email(moderator_client):
    from articles.tests.factories import make_article
    from comments.tests.factories import make_comment

    suggestion = make_suggestion(topic="Sleep and pain", email="rosa@example.com")
    comment = make_comment(make_article(), email="Rosa@example.com", body="Thank you for this.")

    data = json.loads(act(moderator_client, "export_by_email", [suggestion]).content)
    assert [row["comment"] for row in data["comments"]] == ["Thank you for this."]
    assert [row["topic"] for row in data["topic_suggestions"]] == ["Sleep and pain"]

    response = act(moderator_client, "erase_by_email", [suggestion])
    assert "Erased for this email: 1 comment and 1 topic suggestion." in response.content.decode()
    assert not TopicSuggestion.objects.exists()
    assert not type(comment).objects.exists()


def test_export_refuses_suggestions_without_an_email(moderator_client):
    anonymous = make_suggestion(email="")

    response = act(moderator_client, "export_by_email", [anonymous])

    assert "Please select suggestions from one email address only." in response.content.decode()


def test_the_retention_purge_covers_suggestions_and_their_votes(settings):
    settings.SUBMISSIONS_SPAM_RETENTION_DAYS = 30
    settings.SUBMISSIONS_IP_RETENTION_DAYS = 90
    long_ago = timezone.now() - timedelta(days=120)
    old_spam = make_suggestion(status=Status.SPAM, ip_hash="x")
    old_planned = make_suggestion(status=Status.PLANNED, ip_hash="y", votes=1)
    fresh = make_suggestion(status=Status.SPAM, ip_hash="z")
    TopicSuggestion.objects.filter(pk__in=[old_spam.pk, old_planned.pk]).update(created=long_ago)
    old_vote = TopicVote.objects.create(suggestion=old_planned, ip_hash="v")
    TopicVote.objects.filter(pk=old_vote.pk).update(created=long_ago)
    new_vote = TopicVote.objects.create(suggestion=old_planned, ip_hash="w")

    call_command("purge_submission_data", stdout=io.StringIO())

    assert not TopicSuggestion.objects.filter(pk=old_spam.pk).exists()
    old_planned.refresh_from_db()
    fresh.refresh_from_db()
    assert (old_planned.ip_hash, old_planned.votes, fresh.ip_hash) == ("", 1, "z")
    assert list(TopicVote.objects.all()) == [new_vote]


def test_moderators_find_the_answering_article_by_autocomplete(moderator_client):
    make_article(title="Sleeping with sciatica", slug="sleeping-with-sciatica")
    make_article(title="Knee exercises", slug="knee-exercises")

    response = moderator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "topics", "model_name": "topicsuggestion", "field_name": "article", "term": "sciatica"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Sleeping with sciatica"]


def test_the_moderation_queue_counts_new_suggestions(moderator_client):
    make_suggestion()
    make_suggestion(status=Status.PLANNED)

    page = moderator_client.get(reverse("admin:index")).content.decode()

    assert "topic suggestions: 1 waiting" in page
    assert TopicSuggestion.moderation_queue_status() == Status.NEW
    assert reverse(CHANGELIST) + "?status__exact=new" in page


def test_a_published_suggestion_moves_back_only_without_its_article(moderator_client, client):
    article = make_article()
    suggestion = make_suggestion(status=Status.PUBLISHED, article=article)

    refused = change(moderator_client, suggestion, status=Status.PLANNED, article=article.pk)
    assert "please clear its answering article too" in refused.content.decode()
    change(moderator_client, suggestion, status=Status.PLANNED, article="")

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.article) == (Status.PLANNED, None)


def test_saving_only_a_note_on_a_published_suggestion_sends_nothing(
    moderator_client, django_capture_on_commit_callbacks
):
    suggestion = make_suggestion(
        status=Status.PUBLISHED, article=make_article(), email="rosa@example.com", notify_when_published=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = change(moderator_client, suggestion, article=suggestion.article_id, staff_note="Shared on social")

    assert "Published." not in response.content.decode()
    assert mail.outbox == []
    suggestion.refresh_from_db()
    assert suggestion.staff_note == "Shared on social"


# --- Personal details never reach the board ---------------------------------------------

PRIVATE_TOPIC = "Call Rosa on 07700 900123 about sciatica"


def test_planning_a_topic_with_personal_details_is_refused_with_a_message(moderator_client, client):
    private = make_suggestion(topic=PRIVATE_TOPIC)
    clean = make_suggestion(topic="Sleeping with sciatica")

    response = act(moderator_client, "plan", [private, clean])

    page = response.content.decode()
    assert "1 topic suggestion planned." in page
    assert "1 topic suggestion was not planned: its topic seems to contain a phone number." in page
    private.refresh_from_db()
    assert private.status == Status.NEW
    assert "07700" not in client.get(reverse("topics:board")).content.decode()


@pytest.mark.parametrize("decision", [{"status": Status.PLANNED}, {"article": "live"}])
def test_the_change_form_refuses_to_show_a_topic_with_personal_details(
    moderator_client, decision, django_capture_on_commit_callbacks
):
    suggestion = make_suggestion(topic=PRIVATE_TOPIC, email="rosa@example.com", notify_when_published=True)
    if "article" in decision:
        decision = {"article": make_article().pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = change(moderator_client, suggestion, **decision)

    errors = response.context["adminform"].form.errors
    assert list(errors) == ["topic"]
    assert "seems to contain a phone number" in errors["topic"][0]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.article) == (Status.NEW, None)
    assert mail.outbox == []


def test_a_topic_reworded_without_its_personal_details_can_be_planned(moderator_client):
    suggestion = make_suggestion(topic=PRIVATE_TOPIC)

    change(moderator_client, suggestion, topic="Sleeping with sciatica", status=Status.PLANNED)

    suggestion.refresh_from_db()
    assert (suggestion.topic, suggestion.status) == ("Sleeping with sciatica", Status.PLANNED)

"""Privacy: hashed addresses with a retention limit, old spam purged, export and erasure by email."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.tests.factories import make_comment
from submissions.privacy import hash_value

pytestmark = pytest.mark.django_db


def aged(comment, days):
    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - timedelta(days=days))
    return comment


def test_address_hashes_are_keyed_by_the_salt(settings):
    settings.IP_HASH_SALT = "salt-one"
    first = hash_value("203.0.113.9")
    assert first == hash_value("203.0.113.9") and len(first) == 64
    settings.IP_HASH_SALT = "salt-two"
    assert hash_value("203.0.113.9") != first


# The command was named for comments when they were the only submissions; the old name stays for one release.
PURGE_COMMANDS = ["purge_submission_data", "purge_comment_data"]


@pytest.mark.parametrize("command", PURGE_COMMANDS)
def test_purge_deletes_old_spam_and_clears_old_address_hashes(article, command):
    old_spam = aged(make_comment(article, status="spam", ip_hash="a" * 64), 31)
    new_spam = aged(make_comment(article, status="spam", ip_hash="b" * 64), 29)
    old_comment = aged(make_comment(article, ip_hash="c" * 64), 91)
    recent_comment = aged(make_comment(article, ip_hash="d" * 64), 89)

    call_command(command, stdout=io.StringIO(), stderr=io.StringIO())

    assert not Comment.objects.filter(pk=old_spam.pk).exists()
    assert Comment.objects.get(pk=new_spam.pk).ip_hash == "b" * 64
    assert Comment.objects.get(pk=old_comment.pk).ip_hash == ""
    assert Comment.objects.get(pk=recent_comment.pk).ip_hash == "d" * 64


@pytest.mark.parametrize("command", PURGE_COMMANDS)
def test_purge_follows_the_retention_settings(article, settings, command):
    settings.SUBMISSIONS_SPAM_RETENTION_DAYS = 7
    spam = aged(make_comment(article, status="spam"), 8)

    call_command(command, stdout=io.StringIO(), stderr=io.StringIO())

    assert not Comment.objects.filter(pk=spam.pk).exists()


def test_the_purge_reports_what_it_did_for_every_kind_of_submission():
    out, err = io.StringIO(), io.StringIO()
    call_command("purge_submission_data", stdout=out, stderr=err)
    assert "comments: 0 old spam deleted, 0 address hashes cleared." in out.getvalue()
    assert "topic suggestions: 0 old spam deleted, 0 address hashes cleared." in out.getvalue()
    assert "rate-limit counters:" in out.getvalue()
    assert err.getvalue() == ""


def test_the_old_command_name_does_the_same_and_says_it_is_deprecated():
    new_out, old_out, old_err = io.StringIO(), io.StringIO(), io.StringIO()
    call_command("purge_submission_data", stdout=new_out)
    call_command("purge_comment_data", stdout=old_out, stderr=old_err)
    assert old_out.getvalue() == new_out.getvalue()
    assert "purge_comment_data is deprecated" in old_err.getvalue()
    assert "purge_submission_data" in old_err.getvalue()


@pytest.fixture
def moderator_client(client, db):
    user = User.objects.create_user("desk", "desk@clinic.example", "a long test password", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return client


def test_export_gives_every_comment_of_one_email_as_json(moderator_client, article):
    from articles.tests.factories import make_article

    mine = make_comment(article, email="Ana@Example.com", body="First")
    make_comment(make_article(), email="ana@example.com", body="Second", status="spam")
    make_comment(article, email="someone.else@example.com", body="Not mine")

    response = moderator_client.post(
        reverse("admin:comments_comment_changelist"), {"action": "export_by_email", "_selected_action": [mine.pk]}
    )

    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["email"] == "ana@example.com"
    assert [row["comment"] for row in data["comments"]] == ["First", "Second"]


def test_export_refuses_a_selection_of_several_emails(moderator_client, article):
    first = make_comment(article, email="one@example.com")
    second = make_comment(article, email="two@example.com")

    response = moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "export_by_email", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert "from one email address only" in response.content.decode()


def test_erase_deletes_every_comment_of_that_email_only(moderator_client, article):
    mine = make_comment(article, email="ana@example.com")
    make_comment(article, email="ANA@example.com", status="pending")
    other = make_comment(article, email="ben@example.com")

    moderator_client.post(
        reverse("admin:comments_comment_changelist"), {"action": "erase_by_email", "_selected_action": [mine.pk]}
    )

    assert list(Comment.objects.all()) == [other]


def test_one_readers_address_hashes_match_within_a_period_and_differ_across_periods(settings):
    from datetime import UTC, datetime

    settings.IP_HASH_SALT = "salt-one"
    settings.IP_HASH_PERIOD_DAYS = 30
    start = datetime(2026, 1, 1, tzinfo=UTC)
    day = (int(start.timestamp() // 86400) // 30) * 30  # the first day of the period holding `start`
    period_start = datetime.fromtimestamp(day * 86400, tz=UTC)

    first = hash_value("203.0.113.9", now=period_start)
    assert hash_value("203.0.113.9", now=period_start + timedelta(days=29, hours=23)) == first
    assert hash_value("203.0.113.9", now=period_start + timedelta(days=30)) != first
    assert hash_value("203.0.113.9", now=period_start + timedelta(days=400)) != first


def test_a_readers_network_hash_of_two_periods_cannot_be_linked(settings):
    from datetime import UTC, datetime

    from django.test import RequestFactory

    from submissions.privacy import hash_ip

    settings.IP_HASH_PERIOD_DAYS = 30
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::7")
    same_network = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::8")
    january, march = datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC)

    assert hash_ip(request, now=january) == hash_ip(same_network, now=january)
    assert hash_ip(request, now=january) != hash_ip(request, now=march)


def test_the_export_lists_address_hashes_as_hashed_network_identifiers(article):
    make_comment(article, email="reader@example.com", ip_hash="e" * 64)
    from submissions.privacy import personal_data_export

    data = personal_data_export("reader@example.com")
    (row,) = data["comments"]
    assert row["hashed_network_identifier"] == "e" * 64
    assert "hashed network identifier" in data["about_hashed_network_identifiers"].lower()


def test_erasing_a_reader_keeps_other_peoples_replies_and_blanks_the_comment_they_answer(
    moderator_client, article, client
):
    from comments.moderation import comment_reply

    mine = make_comment(article, email="ana@example.com", name="Ana", body="My story of sciatica", notify_me=True)
    answer = make_comment(article, parent=mine, email="ben@example.com", name="Ben", body="Ben answers")
    clinic = comment_reply(comment=mine, body="The clinic answers", by=User.objects.get(username="desk"))
    make_comment(article, parent=mine, email="ana@example.com", body="Ana thanks Ben")
    make_comment(article, email="ana@example.com", body="Another of mine")

    response = moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "erase_by_email", "_selected_action": [mine.pk]},
        follow=True,
    )

    assert "Erased for this email: 3 comments" in response.content.decode()
    assert set(Comment.objects.values_list("pk", flat=True)) == {mine.pk, answer.pk, clinic.pk}
    mine.refresh_from_db()
    assert (mine.name, mine.email, mine.body, mine.status, mine.notify_me) == ("", "", "", "removed", False)
    assert not Comment.objects.filter(email__iexact="ana@example.com").exists()
    assert "My story of sciatica" not in client.get(article.get_absolute_url()).content.decode()


def test_the_export_costs_the_same_queries_for_one_comment_or_many(article):
    from articles.tests.factories import make_article
    from submissions.privacy import personal_data_export

    def queries_for(email, count):
        for _ in range(count):
            make_comment(make_article(), email=email)
        with CaptureQueriesContext(connection) as queries:
            data = personal_data_export(email)
        assert len(data["comments"]) == count
        return len(queries)

    assert queries_for("one@example.com", 1) == queries_for("many@example.com", 6)

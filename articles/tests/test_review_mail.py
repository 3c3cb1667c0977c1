"""Review emails open from a mail client and name people as the clinic knows them."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import person_name
from articles.tests.factories import make_article, make_clinician
from articles.tests.test_review import NEW_WORD, edit, login, make_user, newest, step
from core.groups import EDITORS, MEDICAL_REVIEWERS

pytestmark = pytest.mark.django_db

SITE = "https://riverside-pain.example.net"


@pytest.fixture
def people(django_user_model, settings):
    settings.SITE_URL = SITE
    editor = make_user(django_user_model, "eddie", EDITORS)
    editor.first_name, editor.last_name = "Edith", "Stone"
    editor.save()
    reviewer = make_user(django_user_model, "rita", MEDICAL_REVIEWERS)
    reviewer.first_name, reviewer.last_name = "Rita", "R."
    reviewer.save()
    clinician = make_clinician(name="Dr Rita Reyes", slug="rita-reyes", user=reviewer)
    article = make_article(
        title="Easing lower back pain",
        slug="easing-back-pain",
        body="## Moving\n\nGentle walking helps most people.",
        reviewer=clinician,
        reviewed_on=date(2026, 1, 10),
        publish_at=timezone.now() - timedelta(days=3),
    )
    return editor, reviewer, article


def links(message):
    return re.findall(r"(?:https?://|(?<!\S)/)\S+", message.body)


def test_every_link_in_review_emails_is_absolute_on_the_site_address(people, django_capture_on_commit_callbacks):
    editor, reviewer, article = people
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}.")
    with django_capture_on_commit_callbacks(execute=True):
        step(login(editor), article, "submit")
    with django_capture_on_commit_callbacks(execute=True):
        step(login(reviewer), article, "approve", revision=newest(article).pk)

    assert len(mail.outbox) == 2
    review_screen = f"{SITE}/admin/articles/article/{article.pk}/review/"
    for message in mail.outbox:
        assert links(message) == [review_screen], message.body


def test_review_emails_name_reviewers_by_clinician_and_editors_by_full_name(people, django_capture_on_commit_callbacks):
    editor, reviewer, article = people
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}.")
    with django_capture_on_commit_callbacks(execute=True):
        step(login(editor), article, "submit")
    with django_capture_on_commit_callbacks(execute=True):
        step(login(reviewer), article, "request_changes", revision=newest(article).pk, comment="Please cite it.")

    requested, decided = mail.outbox
    assert requested.body.startswith("Edith Stone submitted “Easing lower back pain”")
    assert decided.body.startswith("Dr Rita Reyes asked for changes to “Easing lower back pain”")
    assert "eddie" not in requested.body and "rita" not in decided.body


def test_a_person_is_named_by_username_only_when_nothing_better_is_known(django_user_model):
    plain = make_user(django_user_model, "frontdesk2", EDITORS)
    assert person_name(plain) == "frontdesk2"
    plain.first_name = "Sam"
    assert person_name(plain) == "Sam"
    make_clinician(name="Dr Sam Ito", slug="sam-ito", user=plain)
    plain.refresh_from_db()
    assert person_name(plain) == "Dr Sam Ito"

"""Review emails open from a mail client and name people as the clinic knows them."""

import re

import pytest
from django.core import mail

from articles.models import person_name
from articles.tests.factories import make_clinician
from articles.tests.people import back_pain_article, login, make_user, rita_reyes
from articles.tests.test_review import NEW_WORD, edit, newest, step
from core.groups import EDITORS

pytestmark = pytest.mark.django_db

SITE = "https://riverside-pain.example.net"


@pytest.fixture
def people(editor, reviewer, settings):
    settings.SITE_URL = SITE
    editor.first_name, editor.last_name = "Edith", "Stone"
    editor.save()
    reviewer.first_name, reviewer.last_name = "Rita", "R."
    reviewer.save()
    return editor, reviewer, back_pain_article(reviewer=rita_reyes(reviewer))


def links(message):
    return re.findall(r"(?:https?://|(?<!\S)/)\S+", message.body)


def submit_and_decide(people, capture_on_commit, decision, **fields):
    """The editor submits a change and the reviewer decides on it; the emails both steps sent."""
    editor, reviewer, article = people
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}.")
    with capture_on_commit(execute=True):
        step(login(editor), article, "submit")
    with capture_on_commit(execute=True):
        step(login(reviewer), article, decision, revision=newest(article).pk, **fields)
    return mail.outbox


def test_every_link_in_review_emails_is_absolute_on_the_site_address(people, django_capture_on_commit_callbacks):
    messages = submit_and_decide(people, django_capture_on_commit_callbacks, "approve")

    assert len(messages) == 2
    review_screen = f"{SITE}/admin/articles/article/{people[2].pk}/review/"
    for message in messages:
        assert links(message) == [review_screen], message.body


def test_review_emails_name_reviewers_by_clinician_and_editors_by_full_name(people, django_capture_on_commit_callbacks):
    requested, decided = submit_and_decide(
        people, django_capture_on_commit_callbacks, "request_changes", comment="Please cite it."
    )

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

"""The named medical reviewer must be someone who can approve: no article waits for a reviewer
who will never be able to act, and the editor is told who was really asked."""

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import ReviewDecision
from articles.review import ReviewState, medical_review
from articles.tests.factories import make_clinician
from articles.tests.people import back_pain_article, login, make_user, rita_reyes
from articles.tests.test_review import NEW_WORD, edit, management_forms, step
from core.groups import EDITORS, MEDICAL_REVIEWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(reviewer):
    """A medical reviewer with a linked clinician: someone who could approve, but is not named."""
    rita_reyes(reviewer)
    return reviewer


def no_login(django_user_model):
    return make_clinician(name="Dr Noor Patel", slug="noor-patel")


def switched_off_login(django_user_model):
    user = make_user(django_user_model, "noor", MEDICAL_REVIEWERS)
    user.is_active = False
    user.save()
    return make_clinician(name="Dr Noor Patel", slug="noor-patel", user=user)


def login_outside_the_reviewers(django_user_model):
    return make_clinician(name="Dr Noor Patel", slug="noor-patel", user=make_user(django_user_model, "noor", EDITORS))


@pytest.mark.parametrize(
    ("named", "what_to_fix"),
    [
        (no_login, "has no login on this site"),
        (switched_off_login, "login is switched off"),
        (login_outside_the_reviewers, "is not in the “Medical reviewers” group"),
    ],
)
def test_submitting_for_a_reviewer_who_cannot_approve_is_refused_and_says_what_to_fix(
    named, what_to_fix, editor, rita, django_user_model, django_capture_on_commit_callbacks
):
    article = back_pain_article(reviewer=named(django_user_model))
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}.")

    with django_capture_on_commit_callbacks(execute=True):
        page = step(login(editor), article, "submit").content.decode()

    assert "Dr Noor Patel" in page and what_to_fix in page
    assert "The reviewer has been told" not in page
    assert not article.review_decisions.filter(action=ReviewDecision.Action.SUBMITTED).exists()
    assert medical_review(article).state == ReviewState.DRAFT
    assert mail.outbox == []  # above all, no other reviewer is asked to review what they may not approve


def test_an_article_with_no_named_reviewer_cannot_be_submitted(editor, rita, django_capture_on_commit_callbacks):
    article = back_pain_article(reviewer=None)
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}.")

    with django_capture_on_commit_callbacks(execute=True):
        page = step(login(editor), article, "submit").content.decode()

    assert "Please name the medical reviewer" in page
    assert medical_review(article).state == ReviewState.DRAFT
    assert mail.outbox == []


def test_when_any_reviewer_may_approve_every_reviewer_who_could_is_told_by_name(
    editor, rita, django_user_model, settings, django_capture_on_commit_callbacks
):
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    omar = make_user(django_user_model, "omar", MEDICAL_REVIEWERS)
    make_clinician(name="Omar Haddad", slug="omar-haddad", user=omar)
    make_user(django_user_model, "ines", MEDICAL_REVIEWERS)  # no clinician profile: cannot approve
    article = back_pain_article(reviewer=no_login(django_user_model))
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}.")

    with django_capture_on_commit_callbacks(execute=True):
        page = step(login(editor), article, "submit").content.decode()

    assert medical_review(article).state == ReviewState.IN_REVIEW
    assert sorted(address for message in mail.outbox for address in message.to) == [omar.email, rita.email]
    assert "The reviewer has been told" not in page
    assert "Omar Haddad" in page and "Dr Rita Reyes" in page


def test_the_reviewer_has_been_told_only_when_an_email_to_them_was_queued(
    editor, django_user_model, django_capture_on_commit_callbacks
):
    quiet = make_user(django_user_model, "noor", MEDICAL_REVIEWERS, email=False)
    article = back_pain_article(reviewer=make_clinician(name="Dr Noor Patel", slug="noor-patel", user=quiet))
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}.")

    with django_capture_on_commit_callbacks(execute=True):
        page = step(login(editor), article, "submit").content.decode()

    assert medical_review(article).state == ReviewState.IN_REVIEW  # they can still approve it
    assert mail.outbox == []
    assert "The reviewer has been told" not in page
    assert "Dr Noor Patel has no email address" in page

    quiet.email = "noor@clinic.example"
    quiet.save()
    step(login(quiet), article, "request_changes", revision=article.review_decisions.first().revision_id, comment="x")
    edit(login(editor), article, body=f"## Moving\n\n{NEW_WORD}, slowly.")
    mail.outbox.clear()  # the editor's "changes requested" email
    with django_capture_on_commit_callbacks(execute=True):
        page = step(login(editor), article, "submit").content.decode()
    assert [message.to for message in mail.outbox] == [[quiet.email]]
    assert "The reviewer has been told" in page


def reviewer_field_errors(response):
    return response.context["adminform"].form.errors.get("reviewer")


def test_the_article_form_refuses_a_newly_named_reviewer_who_cannot_approve(editor, rita, django_user_model):
    article = back_pain_article(reviewer=rita.clinician)
    cannot = no_login(django_user_model)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client = login(editor)
    shown = client.get(url).context["adminform"].form.initial

    response = client.post(url, {**_form_data(client, url, shown), "reviewer": cannot.pk})

    assert response.status_code == 200
    assert "Dr Noor Patel has no login on this site" in " ".join(reviewer_field_errors(response))
    assert article.reviewer == rita.clinician

    edit(client, article, reviewer=rita.clinician.pk)  # one who can approve is accepted


def test_the_form_warns_at_the_reviewer_field_when_the_named_reviewer_cannot_approve(editor, django_user_model):
    article = back_pain_article(reviewer=no_login(django_user_model))
    page = login(editor).get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Dr Noor Patel has no login on this site" in page


def test_any_reviewer_setting_lets_the_form_name_a_clinician_without_a_login(editor, rita, django_user_model, settings):
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    article = back_pain_article(reviewer=rita.clinician)
    cannot = no_login(django_user_model)
    edit(login(editor), article, reviewer=cannot.pk)


def _form_data(client, url, shown):
    return {
        **management_forms(client, url),
        "title": shown["title"],
        "slug": shown["slug"],
        "category": shown["category"],
        "summary": shown["summary"],
        "body": shown["body"],
        "author": shown["author"],
        "comments_open": "on",
    }

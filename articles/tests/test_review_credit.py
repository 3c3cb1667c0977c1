"""The public credit, "Medically reviewed by", names the clinician who approved the live text and
nobody else: a login with no clinician profile may not approve, whatever else it may do."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.review import ReviewState, medical_review
from articles.tests.factories import make_clinician
from articles.tests.people import back_pain_article, login, make_user, rita_reyes
from articles.tests.test_review import NEW_WORD, edit, newest, step, structured_data
from core.groups import MEDICAL_REVIEWERS

pytestmark = pytest.mark.django_db

NO_PROFILE = "Your login is not linked to a clinician profile"


@pytest.fixture
def submitted(editor, reviewer):
    """Rita's live article with a change waiting for medical review."""
    article = back_pain_article(reviewer=rita_reyes(reviewer))
    edit(login(editor), article, body=f"## Moving\n\nGentle {NEW_WORD} walking.")
    step(login(editor), article, "submit")
    return article


def review_screen(user, article):
    return login(user).get(reverse("admin:articles_article_review", args=[article.pk])).content.decode()


def assert_refused(user, article):
    assert NO_PROFILE in review_screen(user, article)
    assert 'value="approve"' not in review_screen(user, article)
    page = step(login(user), article, "approve", revision=newest(article).pk).content.decode()
    assert NO_PROFILE in page
    assert medical_review(article).state == ReviewState.IN_REVIEW


def test_a_superuser_with_no_clinician_profile_is_told_they_cannot_approve(submitted, django_user_model):
    admin = django_user_model.objects.create_superuser("ada", "ada@clinic.example", "a-long-test-password")
    assert_refused(admin, submitted)
    step(login(admin), submitted, "request_changes", revision=newest(submitted).pk, comment="Too strong.")
    assert medical_review(submitted).state == ReviewState.IN_REVIEW


def test_when_any_reviewer_may_approve_one_with_no_clinician_profile_still_cannot(
    submitted, django_user_model, settings
):
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    assert_refused(make_user(django_user_model, "omar", MEDICAL_REVIEWERS), submitted)


def test_the_page_and_its_structured_data_credit_the_clinician_who_approved_not_the_named_one(
    submitted, editor, django_user_model, settings
):
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    omar = make_user(django_user_model, "omar", MEDICAL_REVIEWERS)
    make_clinician(name="Dr Omar Obi", slug="omar-obi", user=omar)

    step(login(omar), submitted, "approve", revision=newest(submitted).pk)
    step(login(editor), submitted, "publish")

    page = Client().get(submitted.get_absolute_url())
    assert structured_data(page)["reviewedBy"]["name"] == "Dr Omar Obi"
    credit = page.content.decode().split("Medically reviewed by")[1].split("</dd>")[0]
    assert "Dr Omar Obi" in credit and "Rita" not in credit


def test_a_superuser_with_a_clinician_profile_is_credited_by_their_own_name(submitted, editor, django_user_model):
    admin = django_user_model.objects.create_superuser("ada", "ada@clinic.example", "a-long-test-password")
    make_clinician(name="Dr Ada Lane", slug="ada-lane", user=admin)

    step(login(admin), submitted, "approve", revision=newest(submitted).pk)
    step(login(editor), submitted, "publish")

    assert structured_data(Client().get(submitted.get_absolute_url()))["reviewedBy"]["name"] == "Dr Ada Lane"


def test_the_approving_clinicians_cached_page_lists_the_article_once_it_goes_live(
    submitted, editor, django_user_model, settings, page_cache
):
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    omar = make_user(django_user_model, "omar", MEDICAL_REVIEWERS)
    page = make_clinician(name="Dr Omar Obi", slug="omar-obi", user=omar).get_absolute_url()
    assert submitted.title not in Client().get(page).content.decode()  # stored in the page cache

    step(login(omar), submitted, "approve", revision=newest(submitted).pk)
    step(login(editor), submitted, "publish")

    assert submitted.title in Client().get(page).content.decode()

"""An article in review whose named reviewer can no longer approve it is never left waiting in
silence: its screens say what to fix, and the editors' dashboard lists it."""

import pytest
from django.urls import reverse

from articles.dashboard import review_work
from articles.models import Clinician
from articles.review import ReviewState, medical_review
from articles.tests.factories import make_article, make_clinician
from articles.tests.test_review import edit, login, step

pytestmark = pytest.mark.django_db

STUCK = "Stuck in review: the named reviewer cannot approve"


def switch_off(user):
    user.is_active = False
    user.save()


def out_of_the_group(user):
    user.groups.clear()


def unlink(user):
    Clinician.objects.filter(user=user).update(user=None)


CAUSES = {
    "login switched off": (switch_off, "Dr Rita Reyes’s login is switched off, so they cannot approve it."),
    "out of the group": (out_of_the_group, "Dr Rita Reyes is not in the “Medical reviewers” group"),
    "clinician unlinked": (unlink, "Dr Rita Reyes has no login on this site, so they cannot approve it."),
}


@pytest.fixture
def live(reviewer):
    """A live article whose named reviewer is Rita's clinician."""
    return make_article(title="Easing lower back pain", reviewer=make_clinician(name="Dr Rita Reyes", user=reviewer))


@pytest.fixture
def in_review(editor, live):
    edit(login(editor), live, body="## Moving\n\nWalk a little every day.")
    step(login(editor), live, "submit")
    assert medical_review(live).state == ReviewState.IN_REVIEW
    return live


def screens(user, article):
    client = login(user)
    return {
        "review": client.get(reverse("admin:articles_article_review", args=[article.pk])).content.decode(),
        "change": client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode(),
    }


@pytest.mark.parametrize("cause", CAUSES)
def test_the_review_screen_and_change_form_say_what_to_fix_when_the_named_reviewer_cannot_approve(
    editor,
    reviewer,
    in_review,
    cause,
):
    assert all(STUCK not in page for page in screens(editor, in_review).values())
    breaks, reason = CAUSES[cause]

    breaks(reviewer)

    for name, page in screens(editor, in_review).items():
        assert STUCK in page, name
        assert reason in page, name
        assert "or name another medical reviewer" in page, name


@pytest.mark.parametrize("cause", CAUSES)
def test_the_editors_dashboard_lists_an_article_stuck_in_review_with_a_link_to_it(
    editor,
    reviewer,
    in_review,
    cause,
):
    assert review_work(editor).stuck == []
    breaks, reason = CAUSES[cause]

    breaks(reviewer)

    work = review_work(editor)
    assert [entry.review.article.pk for entry in work.stuck] == [in_review.pk]
    assert reason in work.stuck[0].reason
    index = login(editor).get(reverse("admin:index")).content.decode()
    assert f"{STUCK}: 1" in index
    section = index.split('id="work-stuck"')[1].split("</section>")[0]
    assert reverse("admin:articles_article_review", args=[in_review.pk]) in section
    assert reason in section


def test_nothing_is_stuck_while_any_medical_reviewer_may_approve(editor, reviewer, in_review, settings):
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    switch_off(reviewer)
    assert all(STUCK not in page for page in screens(editor, in_review).values())
    assert review_work(editor).stuck == []


def test_an_article_not_in_review_is_never_called_stuck(editor, reviewer, live):
    edit(login(editor), live, body="## Moving\n\nWalk a little every day.")
    switch_off(reviewer)
    assert review_work(editor).stuck == []
    assert STUCK not in screens(editor, live)["review"]


def test_a_reviewer_whose_login_is_switched_back_on_unsticks_the_article(editor, reviewer, in_review):
    switch_off(reviewer)
    reviewer.is_active = True
    reviewer.save()
    assert review_work(editor).stuck == []
    assert STUCK not in screens(editor, in_review)["review"]

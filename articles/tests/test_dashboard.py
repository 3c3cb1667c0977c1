"""The admin index tells each person the medical review work that waits for them, and only theirs."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.dashboard import review_work
from articles.tests.factories import make_article, make_clinician
from articles.tests.test_review import approve_newest, edit, login, make_user, step
from core.groups import EDITORS, MEDICAL_REVIEWERS

pytestmark = pytest.mark.django_db


def titles(reviews):
    return sorted(review.latest.content["title"] for review in reviews)


@pytest.fixture
def team(django_user_model):
    editor = make_user(django_user_model, "eddie", EDITORS)
    reviewer = make_user(django_user_model, "rita", MEDICAL_REVIEWERS)
    return {
        "editor": editor,
        "other_editor": make_user(django_user_model, "erin", EDITORS),
        "reviewer": reviewer,
        "other_reviewer": make_user(django_user_model, "omar", MEDICAL_REVIEWERS),
        "clinician": make_clinician(name="Dr Rita Reyes", user=reviewer),
        "other_clinician": make_clinician(name="Dr Omar Obi", user=None),
    }


def one_of_each(team, suffix=""):
    """Five live articles reviewed by Rita, each at one step: in review, sent back, approved,
    scheduled, and one whose yearly review is overdue. Eddie made every change."""
    editor, reviewer, clinician = team["editor"], team["reviewer"], team["clinician"]
    made = {}
    for name in ("in review", "sent back", "approved", "scheduled", "overdue"):
        made[name] = make_article(
            title=f"{name.capitalize()} guide{suffix}",
            reviewer=clinician,
            reviewed_on=date(2020, 1, 1) if name == "overdue" else timezone.localdate(),
            publish_at=timezone.now() - timedelta(days=3),
        )
    for name in ("in review", "sent back", "approved", "scheduled"):
        article = made[name]
        edit(login(editor), article, title=f"{article.title} (new)", body="## Moving\n\nWalk a little every day.")
        step(login(editor), article, "submit")
    step(
        login(reviewer),
        made["sent back"],
        "request_changes",
        revision=_newest_pk(made["sent back"]),
        comment="Please cite the guideline.",
    )
    approve_newest(reviewer, made["approved"])
    approve_newest(reviewer, made["scheduled"])
    later = timezone.localtime() + timedelta(days=2)
    step(
        login(editor),
        made["scheduled"],
        "publish",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M"),
    )
    return made


def _newest_pk(article):
    from revisions.models import Revision

    return Revision.objects.for_object(article).first().pk


def test_the_named_reviewer_sees_what_waits_for_their_review_and_their_reviews_due(team):
    one_of_each(team)
    work = review_work(team["reviewer"])
    assert titles(work.waiting) == ["In review guide (new)"]
    assert work.changes_requested == [] and work.ready == [] and work.scheduled == []
    assert [article.title for article in work.due] == ["Overdue guide"]


def test_another_reviewer_sees_none_of_it_unless_any_reviewer_may_approve(team, settings):
    one_of_each(team)
    team["other_clinician"].user = team["other_reviewer"]
    team["other_clinician"].save()
    assert not review_work(team["other_reviewer"])
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    assert titles(review_work(team["other_reviewer"]).waiting) == ["In review guide (new)"]


def test_nothing_waits_for_a_reviewer_with_no_clinician_profile_who_could_not_approve_it(team, settings):
    one_of_each(team)
    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    assert review_work(team["other_reviewer"]).waiting == []


def test_the_editor_sees_changes_requested_on_their_articles_and_what_is_ready_or_scheduled(team):
    one_of_each(team)
    work = review_work(team["editor"])
    assert work.waiting == []
    assert titles(entry.review for entry in work.changes_requested) == ["Sent back guide (new)"]
    assert titles(work.ready) == ["Approved guide (new)"]
    assert titles(work.scheduled) == ["Scheduled guide (new)"]
    assert [article.title for article in work.due] == ["Overdue guide"]


def test_changes_requested_reach_the_author_and_the_last_saver_but_not_other_editors(team):
    made = one_of_each(team)
    assert review_work(team["other_editor"]).changes_requested == []
    author = made["sent back"].author
    author.user = team["other_editor"]
    author.save()
    sent_back = review_work(team["other_editor"]).changes_requested
    assert titles(entry.review for entry in sent_back) == ["Sent back guide (new)"]


def test_a_moderator_sees_nothing_of_the_articles(team, moderator):
    one_of_each(team)
    assert not review_work(moderator)
    page = login(moderator).get(reverse("admin:index")).content.decode()
    assert 'id="medical-review"' not in page and "guide" not in page


def test_the_index_links_each_kind_of_work_with_its_count(team):
    made = one_of_each(team)
    editor_page = login(team["editor"]).get(reverse("admin:index")).content.decode()
    assert "Changes requested on your articles: 1" in editor_page
    assert reverse("admin:articles_article_change", args=[made["sent back"].pk]) in editor_page
    assert "Please cite the guideline." in editor_page
    assert "Approved, ready to publish: 1" in editor_page
    assert reverse("admin:articles_article_review", args=[made["approved"].pk]) in editor_page
    assert "Scheduled: 1" in editor_page and "changes scheduled for" in editor_page
    assert "Reviews overdue or due soon: 1" in editor_page

    reviewer_page = login(team["reviewer"]).get(reverse("admin:index")).content.decode()
    assert "Waiting for your medical review: 1" in reviewer_page
    assert reverse("admin:articles_article_review", args=[made["in review"].pk]) in reviewer_page
    assert "Changes requested on your articles" not in reviewer_page


def fresh(user):
    """The user as a new request loads them: no permissions or content types cached yet."""
    ContentType.objects.clear_cache()
    return type(user).objects.get(pk=user.pk)


def queries_for(user):
    user = fresh(user)
    with CaptureQueriesContext(connection) as queries:
        work = review_work(user)
    return len(queries), work


def test_the_dashboard_costs_the_same_queries_for_one_or_three_articles_of_each_kind(team, django_assert_num_queries):
    one_of_each(team)
    few, _work = queries_for(team["editor"])
    one_of_each(team, " 2")
    one_of_each(team, " 3")
    many, work = queries_for(team["editor"])
    assert len(work.ready) == 3 and len(work.changes_requested) == 3
    assert many == few
    editor, reviewer = fresh(team["editor"]), fresh(team["reviewer"])
    # permissions (2), content type, drafts, decisions, revisions, named reviewers of those in review, scheduled, due
    with django_assert_num_queries(9):
        review_work(editor)
    reviewer = fresh(team["reviewer"])
    with django_assert_num_queries(8):  # permissions (2), clinician, content type, drafts, decisions, revisions, due
        review_work(reviewer)


def index_queries(user):
    """The queries of the admin index as `user` sees it, once the first visit has filled the caches."""
    client = login(user)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:index")).content.decode()
    return len(queries), page


def test_the_admin_index_costs_the_same_queries_with_one_or_three_entries_in_each_list(team):
    one_of_each(team)
    few = {name: index_queries(team[name]) for name in ("editor", "reviewer")}
    for suffix in (" 2", " 3"):
        one_of_each(team, suffix)
    many = {name: index_queries(team[name]) for name in ("editor", "reviewer")}

    editor_page, reviewer_page = many["editor"][1], many["reviewer"][1]
    assert "Changes requested on your articles: 3" in editor_page and "Approved, ready to publish: 3" in editor_page
    assert editor_page.count("approved by rita on") == 3 and editor_page.count("· rita:") == 3
    assert "Waiting for your medical review: 3" in reviewer_page
    assert {name: count for name, (count, _page) in many.items()} == {
        name: count for name, (count, _page) in few.items()
    }

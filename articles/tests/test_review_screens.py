"""Each review screen says one thing about an article, in the same words as every other screen."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ReviewDecision
from articles.review import ReviewState, medical_review
from articles.tests.factories import make_article, make_clinician
from articles.tests.test_review import (
    NEW_WORD,
    approve_newest,
    edit,
    live,  # noqa: F401 (fixture)
    login,
    newest,
    state_column,
    step,
)

pytestmark = pytest.mark.django_db

TITLE = "Easing lower back pain"


def text_of(html):
    """The words a person reads, without tags and with spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def panel(client, article):
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    return text_of(page.split('class="review-panel"')[1].split("</section>")[0])


def review_screen(client, article):
    return client.get(reverse("admin:articles_article_review", args=[article.pk])).content.decode()


@pytest.mark.parametrize(
    ("steps", "label"),
    [
        ((), "Live, with unpublished changes"),
        (("submit",), "Live, changes in review"),
        (("submit", "request_changes"), "Live, changes requested"),
        (("submit", "approve"), "Live, changes approved"),
    ],
)
def test_a_live_article_with_a_draft_says_its_state_once(editor, reviewer, live, steps, label):  # noqa: F811
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    for name in steps:
        client = login(editor if name == "submit" else reviewer)
        step(client, live, name, revision=newest(live).pk, comment="Please cite the guideline.")
    assert medical_review(live).label == label
    assert state_column(login(editor))[TITLE] == label
    status_line = panel(login(editor), live).split("Live text")[0]
    assert label in status_line and "Draft:" not in status_line and "(" not in status_line
    for state in ("in review", "approved", "draft", "changes requested"):
        assert status_line.lower().count(state) <= 1, status_line


def test_a_new_article_in_review_says_in_review_once(editor, reviewer):  # noqa: F811
    named = make_clinician(name="Dr Rita Reyes", user=reviewer)  # a draft is submitted only to one who can approve
    article = make_article(title="Knee guide", status=Article.Status.DRAFT, reviewer=named)
    step(login(editor), article, "submit")
    assert state_column(login(editor))["Knee guide"] == "In review"
    assert panel(login(editor), article).split("Review log")[0].lower().count("in review") == 1


def test_right_after_submitting_the_screen_says_it_is_in_review_not_to_submit_it(editor, live):  # noqa: F811
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    page = text_of(step(login(editor), live, "submit").content.decode())
    assert "Submitted for medical review." in page
    assert "Please submit it" not in page and "Submit for medical review" not in page
    assert "It can be published once a medical reviewer approves it." in page


def test_a_scheduled_first_publication_reads_scheduled_in_the_log_and_the_list_filter(editor, reviewer, live):  # noqa: F811
    article = make_article(title="Knee guide", status=Article.Status.DRAFT, reviewer=live.reviewer)
    step(login(editor), article, "submit")
    approve_newest(reviewer, article)
    later = timezone.localtime() + timedelta(days=2)
    step(
        login(editor),
        article,
        "publish",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M"),
    )
    when = f"{later:%-d %b %Y}, {later:%H:%M}"
    log = panel(login(editor), article).split("Review log")[1]
    assert f"Scheduled for {when}" in log
    assert "Published" not in log

    changelist = reverse("admin:articles_article_changelist")
    filters = login(editor).get(changelist).content.decode()
    assert "?publication=scheduled" in filters and "?status=published" not in filters
    assert "Knee guide" in listed(login(editor), f"{changelist}?publication=scheduled")
    assert "Knee guide" not in listed(login(editor), f"{changelist}?publication=live")


def listed(client, url):
    """The rows of an admin list page."""
    return client.get(url).content.decode().split('id="result_list"')[-1]


def test_a_scheduled_change_reads_scheduled_for_its_time_in_the_log(editor, reviewer, live):  # noqa: F811
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")
    approve_newest(reviewer, live)
    later = timezone.localtime() + timedelta(hours=3)
    step(login(editor), live, "publish", publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M"))
    assert ReviewDecision.objects.filter(action=ReviewDecision.Action.SCHEDULED).exists()
    log = panel(login(editor), live).split("Review log")[1]
    assert f"Scheduled for {later:%-d %b %Y}, {later:%H:%M}" in log


def test_every_version_shows_its_state_and_a_revert_says_where_it_came_from(editor, reviewer, live):  # noqa: F811
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")
    step(login(reviewer), live, "request_changes", revision=newest(live).pk, comment="Please cite the guideline.")
    client = login(editor)
    client.post(reverse("admin:articles_article_revert", args=[live.pk, 1]))
    assert medical_review(live).state == ReviewState.DRAFT

    page = client.get(reverse("admin:articles_article_revisions", args=[live.pk])).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S)
    states = {
        re.search(r'<th scope="row">(\d+)</th>', row).group(1): text_of(
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-2]
        ).strip()
        for row in rows
    }
    assert states["1"] == "Live"
    assert states["2"] == "Changes requested"
    assert states["3"] == "Reverted from revision 1 · Draft"
    assert all(states.values())


def test_versions_and_the_change_history_are_named_apart(editor, live):  # noqa: F811
    client = login(editor)
    change_page = client.get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()
    tools = change_page.split('class="object-tools"')[1].split("</ul>")[0]
    assert ">Versions</a>" in tools and ">History</a>" in tools and "Revisions" not in tools
    versions = client.get(reverse("admin:articles_article_revisions", args=[live.pk])).content.decode()
    assert f"<title>Versions of “{TITLE}”" in versions
    assert "History of" not in versions


@pytest.mark.parametrize("address", ["abc/review/", "1x/review/", "abc/preview/"])
def test_an_address_naming_no_article_is_not_found(editor, address):
    client = login(editor)
    url = f"/admin/articles/article/{address}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "submit"}).status_code == 404


@pytest.mark.parametrize("forged", ["abc", "1.5", "99999999999999999999999"])
def test_a_forged_version_in_the_review_form_is_refused_with_a_message(editor, reviewer, live, forged):  # noqa: F811
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")
    response = step(login(reviewer), live, "approve", revision=forged)
    assert response.status_code == 200
    assert "Please choose the version you reviewed." in text_of(response.content.decode())
    assert medical_review(live).state == ReviewState.IN_REVIEW

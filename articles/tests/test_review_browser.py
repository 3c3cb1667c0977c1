"""The medical review in a real browser: an editor and a reviewer, each with their own login."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import make_article
from articles.tests.people import back_pain_article, grant_review_permissions, make_user, rita_reyes
from core.groups import EDITORS, MEDICAL_REVIEWERS
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password"
FIRST_DRAFT = "Short walks twice a day ease most lower back pain within weeks."
SECOND_DRAFT = "Short, gentle walks twice a day ease most lower back pain within a few weeks."


@pytest.fixture
def people(django_user_model, settings):
    return staff_and_article(django_user_model, settings, body="## Moving\n\nWalking helps most people.")


def staff_and_article(django_user_model, settings, *more_grants, **article):
    """Eddie and Rita with the permissions the data migrations grant (a transactional test may have flushed
    them), and Rita's live back pain article (`article` says what differs); pages are not cached."""
    settings.PAGE_CACHE_SECONDS = 0
    grant_review_permissions(*more_grants)
    editor = make_user(django_user_model, "eddie", EDITORS, password=PASSWORD)
    reviewer = make_user(django_user_model, "rita", MEDICAL_REVIEWERS, password=PASSWORD)
    article = back_pain_article(reviewer=rita_reyes(reviewer), **article)
    return {"editor": editor, "reviewer": reviewer, "article": article}


def log_in(browser, live_server, username):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    return page


def edit_body(page, live_server, article, text):
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")
    page.fill("#id_body", f"## Moving\n\n{text}")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    assert "saved as a draft" in page.content()


def open_review(page, live_server, article):
    page.goto(f"{live_server.url}{reverse('admin:articles_article_review', args=[article.pk])}")


def test_an_editor_and_a_reviewer_take_a_change_from_draft_to_live(
    live_server, browser, people, screenshot_dir, client
):
    article, url = people["article"], people["article"].get_absolute_url()
    editor = log_in(browser, live_server, "eddie")
    reviewer = log_in(browser, live_server, "rita")

    # The editor changes the live article and submits it.
    edit_body(editor, live_server, article, FIRST_DRAFT)
    editor.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")
    assert "Live, with unpublished changes" in editor.content()
    assert_accessible(editor)
    open_review(editor, live_server, article)
    editor.get_by_role("button", name="Submit for medical review").click()
    assert "Submitted for medical review" in editor.content()
    assert FIRST_DRAFT not in client.get(url).content.decode()

    # The reviewer finds it on the dashboard, compares and requests changes.
    reviewer.goto(f"{live_server.url}{reverse('admin:index')}")
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name="Easing lower back pain").first.click()
    assert reviewer.locator(".word-diff ins").first.is_visible()
    assert_accessible(reviewer)
    reviewer.screenshot(path=str(screenshot_dir / "review-screen-in-review.png"), full_page=True)
    reviewer.get_by_role("link", name="All versions").click()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Compare the chosen revisions").click()
    assert "Changed: Body" in reviewer.content()
    assert_accessible(reviewer)
    reviewer.screenshot(path=str(screenshot_dir / "review-compare.png"), full_page=True)
    open_review(reviewer, live_server, article)
    reviewer.get_by_label("Comment (required to request changes)").fill("Please say “gentle” walks.")
    reviewer.get_by_role("button", name="Request changes").click()
    assert "Changes requested" in reviewer.content()

    # The editor fixes it and submits again.
    edit_body(editor, live_server, article, SECOND_DRAFT)
    open_review(editor, live_server, article)
    assert "Please say “gentle” walks." in editor.content()
    editor.get_by_role("button", name="Submit for medical review").click()

    # The reviewer approves.
    open_review(reviewer, live_server, article)
    reviewer.get_by_role("button", name="Approve").click()
    assert "Approved. The editors have been told." in reviewer.content()
    assert_accessible(reviewer)
    reviewer.screenshot(path=str(screenshot_dir / "review-screen-approved.png"), full_page=True)

    # The editor previews and publishes.
    editor.goto(f"{live_server.url}{reverse('admin:articles_article_preview', args=[article.pk])}")
    assert SECOND_DRAFT in editor.content()
    assert_accessible(editor)
    open_review(editor, live_server, article)
    assert_accessible(editor)
    editor.get_by_role("button", name="Publish").click()
    assert "Published. Readers see the new version now." in editor.content()

    public = browser.new_page()
    public.goto(f"{live_server.url}{url}")
    assert SECOND_DRAFT in public.content()
    today = timezone.localdate()
    assert f'Medically reviewed on <time datetime="{today.isoformat()}">' in public.content()
    assert "Dr Rita Reyes" in public.content()


def test_the_change_form_of_a_new_article_has_no_accessibility_violation(live_server, browser, people):
    editor = log_in(browser, live_server, "eddie")
    editor.goto(f"{live_server.url}{reverse('admin:articles_article_add')}")
    assert_accessible(editor)
    draft = make_article(status="draft", title="A draft with an old address")
    editor.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[draft.pk])}")
    assert_accessible(editor)
    editor.goto(f"{live_server.url}{reverse('admin:articles_article_changelist')}")
    assert_accessible(editor)
    assert editor.evaluate("document.documentElement.scrollWidth") <= 1280

"""Readers report a comment in Chromium on a phone and a desktop; the third report hides it."""

import pytest
from playwright.sync_api import expect

from articles.tests.factories import make_article
from comments.models import Comment, CommentReport
from comments.tests.factories import make_comment
from core.groups import MODERATORS
from tests.support.browser import assert_accessible, sign_in
from tests.support.staff import STAFF_PASSWORD, rebuilt_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story(db, staff_member, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32", "::1/128"]
    settings.COMMENTS_REPORTS_TO_HIDE = 3
    article = make_article(title="Living with sciatica", slug="living-with-sciatica")
    comment = make_comment(article, name="Miracle Max", body="Stop your medicines and buy my cure.")
    make_comment(article, name="Ana", body="Walking helped me most.")
    rebuilt_group(MODERATORS, ["view_comment", "change_comment", "delete_comment"])
    staff_member("desk", MODERATORS)
    return article, comment


@pytest.mark.parametrize("width", [375, 1280])
def test_three_readers_report_a_comment_and_the_moderator_sees_why(browser, live_server, story, width):
    article, comment = story
    url = live_server.url + article.get_absolute_url()
    reasons = ["Medical misinformation", "Spam or advertising", "Medical misinformation"]
    for number, reason in enumerate(reasons, start=1):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, extra_http_headers={"X-Forwarded-For": f"203.0.113.{number}"}
        )
        page = context.new_page()
        page.goto(url)
        item = page.locator(f"#comment-{comment.pk}")
        item.locator("summary").click()
        if number == 1:
            assert_accessible(page)  # the report control open
        item.get_by_label(reason).check()
        item.get_by_role("button", name="Send report").click()
        if number < 3:
            done = page.locator(f"#comment-{comment.pk}").get_by_role("status")
            expect(done).to_contain_text("Thank you for telling us")
            expect(done).to_be_in_viewport()
        else:
            expect(page.get_by_text("The comment is hidden until our team has read it.")).to_be_visible()
            expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
        context.close()

    assert CommentReport.objects.count() == 3
    assert Comment.objects.get(pk=comment.pk).status == "pending"

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "desk", STAFF_PASSWORD, next_path="/admin/comments/comment/?reported=yes")
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("3 reports")
    expect(row.locator("td.field-reports_short span")).to_have_attribute(
        "title", "Medical misinformation ×2, Spam or advertising"
    )
    context.close()

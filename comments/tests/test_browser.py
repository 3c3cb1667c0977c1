"""A reader comments with the keyboard alone, a moderator approves, the comment appears."""

import pytest
from playwright.sync_api import expect

from articles.tests.factories import make_article
from comments.models import Comment
from core.groups import MODERATORS
from tests.support.browser import assert_accessible, run_admin_action, type_through, wait_for_condition
from tests.support.staff import rebuilt_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story(db, staff_member):
    article = make_article(title="Living with sciatica", slug="living-with-sciatica")
    rebuilt_group(MODERATORS, ["view_comment", "change_comment", "delete_comment"])
    staff_member("desk", MODERATORS)
    return article


def test_a_keyboard_reader_comments_and_a_moderator_publishes_it(page, live_server, story, console_errors):
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.locator("#comments-heading")).to_have_text("0 comments")
    assert_accessible(page)

    # Submit empty first: the error state must be announced and accessible.
    page.locator("#id_name").focus()
    page.keyboard.press("Tab")  # email
    page.keyboard.press("Tab")  # comment
    page.keyboard.press("Tab")  # notify me
    page.keyboard.press("Tab")  # remember me
    page.keyboard.press("Tab")  # submit button
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please enter your name here.")
    expect(summary).to_contain_text("Please enter your comment!")
    expect(summary).to_be_focused()
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.keyboard.press("Tab")  # the first error link
    page.keyboard.press("Enter")
    page.locator("#id_name").focus()
    type_through(page, "Sam Reader")
    page.keyboard.press("Control+A")  # the email field still holds what the first try sent
    # The comment, then "notify me" ticked, and "remember me" passed over.
    type_through(
        page, "sam@example.com", "The stretches in this article help me every morning.\nThank you.", "[Space]", ""
    )
    page.keyboard.press("Enter")

    expect(page.get_by_text("Awaiting moderation — only you can see this")).to_be_visible()
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.notify_me, comment.status) == (
        "Sam Reader",
        "sam@example.com",
        True,
        "pending",
    )
    assert comment.hold_reasons == ["captcha_not_configured"]
    expect(page.locator("#comments-heading")).to_have_text("1 comment awaiting moderation: yours")
    assert_accessible(page)

    run_admin_action(page, live_server, "desk", changelist="/admin/comments/comment/", pk=comment.pk, action="approve")
    expect(page.get_by_text("1 comment published.")).to_be_visible()

    page.context.clear_cookies()
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.locator("#comments-heading")).to_have_text("1 comment")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text(
        "The stretches in this article help me every morning."
    )
    assert_accessible(page)
    # The form's error answer is an HTTP 400 on purpose; Chromium logs that status, nothing else may appear.
    assert [error for error in console_errors if "status of 400" not in error] == []


def test_name_and_email_are_remembered_only_when_the_reader_asks(page, live_server, story):
    page.goto(live_server.url + story.get_absolute_url())
    page.fill("#id_name", "Remembered Reader")
    page.fill("#id_email", "remember@example.com")
    page.fill("#id_body", "First comment")
    page.check("#id_remember_me")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Awaiting moderation — only you can see this")).to_be_visible()

    expect(page.locator("#id_name")).to_have_value("Remembered Reader")
    expect(page.locator("#id_email")).to_have_value("remember@example.com")
    page.uncheck("#id_remember_me")
    page.fill("#id_body", "Second comment")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("awaiting moderation").last).to_be_visible()

    expect(page.locator("#id_name")).to_have_value("")
    assert page.evaluate("window.localStorage.getItem('clinic.reader')") is None


FAKE_GRECAPTCHA = """
window.grecaptcha = {
  ready: function (callback) { setTimeout(callback, 10); },
  execute: function (key, options) {
    window.__recaptchaCalls = (window.__recaptchaCalls || []).concat([[key, options.action]]);
    return Promise.resolve("token-for-" + options.action);
  }
};
"""


def test_with_keys_google_loads_on_first_focus_and_the_token_is_fetched_at_submit(
    page, live_server, story, recaptcha_keys, settings, google
):
    settings.SUBMISSIONS_AUTO_APPROVE = True
    google.answer["hostname"] = "localhost"
    requested = []

    def fake_google(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body=FAKE_GRECAPTCHA)

    page.route("https://www.google.com/recaptcha/**", fake_google)
    page.goto(live_server.url + story.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert requested == []  # nothing from Google until a reader starts the form

    page.locator("#id_name").focus()
    page.keyboard.type("Kim")
    wait_for_condition(page, "window.grecaptcha !== undefined")
    assert requested == ["https://www.google.com/recaptcha/api.js?render=test-site-key-not-google"]
    assert page.locator("#id_captcha").input_value() == ""  # no token until submit
    page.fill("#id_email", "kim@example.com")
    page.fill("#id_body", "Very clear, thank you.")
    page.get_by_role("button", name="Post comment").click()

    expect(page.get_by_text("Your comment is published")).to_be_visible()
    comment = Comment.objects.get()
    assert (comment.status, comment.captcha_action, comment.captcha_score) == ("approved", "comment", 0.95)
    assert google.calls == 1


def test_when_google_cannot_be_reached_the_comment_is_still_sent_and_held(page, live_server, story, recaptcha_keys):
    page.route("https://www.google.com/recaptcha/**", lambda route: route.abort())
    page.goto(live_server.url + story.get_absolute_url())
    page.fill("#id_name", "Lee")
    page.fill("#id_email", "lee@example.com")
    page.fill("#id_body", "Posting from a network that blocks Google.")
    page.get_by_role("button", name="Post comment").click()

    expect(page.get_by_text("Awaiting moderation — only you can see this")).to_be_visible(timeout=8000)
    comment = Comment.objects.get()
    assert (comment.status, comment.hold_reasons) == ("pending", ["captcha_missing"])


def test_a_reader_goes_back_through_earlier_comments_and_replies_to_an_old_one(
    page, live_server, story, settings, console_errors
):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    for number in range(5):
        Comment.objects.create(
            article=story, name=f"Reader {number}", email="r@example.com", body=f"Thread {number}.", status="approved"
        )
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.locator("#comments-heading")).to_have_text("5 comments")

    page.get_by_role("link", name="Read earlier comments").click()
    expect(page.locator(".comment-body")).to_have_text(["Thread 1.", "Thread 2."])
    assert_accessible(page)
    page.get_by_role("link", name="Read earlier comments").click()
    expect(page.locator(".comment-body")).to_have_text(["Thread 0."])

    page.get_by_role("link", name="Reply to Reader 0").click()
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Reader 0")
    assert console_errors == []


def test_a_comment_sent_as_comments_close_is_shown_back_where_the_reader_is_looking(page, live_server, story):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + story.get_absolute_url())
    page.locator("#id_name").fill("Sam Reader")
    page.locator("#id_email").fill("sam@example.com")
    page.locator("#id_body").fill("Heat before stretching helped my sciatica.")
    story.comments_open = False
    story.save()

    page.get_by_role("button", name="Post comment").click()

    unsent = page.get_by_role("alert")
    expect(unsent).to_contain_text("Comments on this article are closed")
    expect(unsent).to_be_focused()
    expect(unsent).to_be_in_viewport()
    expect(page.get_by_label("Your comment")).to_have_value("Heat before stretching helped my sciatica.")
    assert not Comment.objects.exists()
    assert_accessible(page)

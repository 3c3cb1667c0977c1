"""A reader suggests a topic from an article with the keyboard; a moderator plans it; readers vote."""

import pytest
from playwright.sync_api import expect

from articles.tests.factories import make_article
from core.groups import MODERATORS
from tests.support.browser import assert_accessible, run_admin_action, type_through
from tests.support.staff import rebuilt_group
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story(db, staff_member):
    article = make_article(title="Living with sciatica", slug="living-with-sciatica")
    rebuilt_group(
        MODERATORS, ["view_topicsuggestion", "change_topicsuggestion", "delete_topicsuggestion", "view_article"]
    )
    staff_member("desk", MODERATORS)
    return article


def test_a_keyboard_reader_suggests_a_topic_a_moderator_plans_it_and_readers_vote_once(
    page, live_server, story, console_errors
):
    page.goto(live_server.url + story.get_absolute_url())
    cta = page.get_by_role("region", name="What should we write about next?")
    expect(cta).to_be_visible()
    assert_accessible(page)

    page.locator("#topic-topic").focus()
    # Topic, details, email, then "email me when it is published" ticked.
    type_through(
        page, "Sleeping well with sciatica", "Which positions ease the pain at night?", "rosa@example.com", "[Space]"
    )
    expect(page.get_by_role("button", name="Send my suggestion")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Thank you — we will review your suggestion.")).to_be_visible()
    assert page.url == f"{live_server.url}{story.get_absolute_url()}#topic-form-done"
    suggestion = TopicSuggestion.objects.get()
    expected = ("Sleeping well with sciatica", "rosa@example.com", True, "new")
    assert (suggestion.topic, suggestion.email, suggestion.notify_when_published, suggestion.status) == expected

    run_admin_action(
        page, live_server, "desk", changelist="/admin/topics/topicsuggestion/", pk=suggestion.pk, action="plan"
    )
    expect(page.get_by_text("1 topic suggestion planned.")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/topics/")
    item = page.locator(f"#topic-{suggestion.pk}")
    expect(item).to_contain_text("Sleeping well with sciatica")
    expect(item).to_contain_text("1 reader wants this")  # the reader who suggested it
    expect(page.locator("main")).not_to_contain_text("rosa@example.com")
    assert_accessible(page)

    # The same address (this browser has forgotten its cookie) counts once: its suggestion was its vote.
    item.get_by_role("button", name="I want this too").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have already asked for “Sleeping well with sciatica”")).to_be_visible()
    expect(page.locator(f"#topic-{suggestion.pk}")).to_contain_text("1 reader wants this")
    expect(page.locator(f"#topic-{suggestion.pk}")).to_contain_text("You asked for this")
    assert_accessible(page)
    suggestion.refresh_from_db()
    assert suggestion.votes == 1
    assert console_errors == []


def test_an_empty_suggestion_shows_the_error_summary_on_the_board_with_focus(page, live_server, story):
    page.goto(live_server.url + story.get_absolute_url())
    page.locator("#topic-details").fill("Something about sleep")
    page.get_by_role("button", name="Send my suggestion").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please tell us the topic you would like us to write about.")
    expect(summary).to_be_focused()
    expect(page.locator("#topic-details")).to_have_value("Something about sleep")
    expect(page.locator("#topic-topic")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.locator("#topic-topic").fill("Sleep and back pain")
    page.get_by_role("button", name="Send my suggestion").click()
    expect(page.get_by_text("Thank you — we will review your suggestion.")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}{story.get_absolute_url()}")

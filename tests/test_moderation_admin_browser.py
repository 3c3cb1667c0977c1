"""The comment and topic-suggestion admin lists fit a 1280 px screen, and their pages pass axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import expect

from articles.tests.factories import make_article
from comments.models import Comment
from comments.tests.factories import make_comment
from tests.support.browser import assert_accessible
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "I have had lower back pain for eleven years and tried physiotherapy, injections and pacing. " * 6
REASONS = ["captcha_not_configured", "low_score", "too_many_links"]


@pytest.fixture
def queue(db):
    article = make_article(title="Interventional treatments for lower back pain explained step by step")
    comments = [
        make_comment(article, name=f"Reader {n}", body=LONG, status=Comment.Status.PENDING, hold_reasons=REASONS)
        for n in range(3)
    ]
    suggestions = [
        TopicSuggestion.objects.create(
            topic="How to explain invisible chronic pain to family, friends and colleagues at work " * 1,
            details=LONG,
            hold_reasons=REASONS,
            article=article if n == 0 else None,
            status=TopicSuggestion.Status.PUBLISHED if n == 0 else TopicSuggestion.Status.NEW,
        )
        for n in range(3)
    ]
    User.objects.create_superuser("chief", "chief@clinic.example", "a long test password 42")
    return comments, suggestions


def log_in(page, live_server, next_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long test password 42")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    overflow = page.evaluate(
        "(() => { const r = document.querySelector('.results'); return r.scrollWidth - r.clientWidth; })()"
    )
    assert overflow <= 0, f"the list scrolls sideways by {overflow}px"


@pytest.mark.parametrize(
    ("changelist", "columns"),
    [
        ("/admin/comments/comment/", ["Comment", "Article", "Status", "Score", "Why held", "Reports", "Age"]),
        ("/admin/topics/topicsuggestion/", ["Topic", "Status", "Votes", "Why held", "Age", "Article"]),
    ],
)
def test_the_moderation_list_fits_1280_px_and_its_pages_are_accessible(page, live_server, queue, changelist, columns):
    log_in(page, live_server, changelist)
    headers = page.locator("#result_list thead th:not(.action-checkbox-column)")
    expect(headers).to_have_text(columns)
    assert_fits(page)
    first_cell = page.locator("#result_list tbody tr").first.locator("th, td").nth(1)
    expect(first_cell.locator("[title]")).to_have_count(1)  # the full text on hover
    assert_accessible(page)

    page.locator("#result_list tbody tr").first.locator("th a").click()
    page.wait_for_load_state()
    assert_accessible_where_ours(page)


def assert_accessible_where_ours(page):
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()

"""The review screens in a real browser: each person's dashboard, the decision beside a long diff,
object tools clear of the title, and no accessibility violation."""

# ruff: noqa: F401, F811 (the review journey's fixture, imported by name)

import pytest
from django.urls import reverse

from articles import review
from articles.models import Article
from articles.tests.factories import make_article
from articles.tests.test_review_browser import log_in, people
from tests.support.browser import ARTIFACTS, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Easing lower back pain at home: gentle walking, stretching, heat, and when to see a pain specialist"
SCREENS = ARTIFACTS / "screens"


def save_change(article, user, **fields):
    """An editor's saved change to a live article, kept as a draft revision."""
    article = Article.objects.get(pk=article.pk)
    for name, value in fields.items():
        setattr(article, name, value)
    return review.article_save_draft(article=article, user=user)


def long_body(word):
    return "\n\n".join(
        f"## Part {n}\n\nStep {n}: walk {word} for ten minutes, then rest and stretch." for n in range(60)
    )


@pytest.fixture
def work(people):
    """Rita's article in review with a long diff; a second one sent back to Eddie; a third approved."""
    editor, reviewer, article = people["editor"], people["reviewer"], people["article"]
    save_change(article, editor, title=LONG_TITLE, body=long_body("slowly"))
    review.review_submit(article=article, user=editor)
    sent_back = make_article(title="Knee pain guide", reviewer=article.reviewer, publish_at=article.publish_at)
    revision = save_change(sent_back, editor, body="## Knees\n\nRest them.")
    review.review_submit(article=sent_back, user=editor)
    review.review_request_changes(article=sent_back, revision=revision, user=reviewer, comment="Please cite NICE.")
    approved = make_article(title="Hip pain guide", reviewer=article.reviewer, publish_at=article.publish_at)
    revision = save_change(approved, editor, body="## Hips\n\nMove them.")
    review.review_submit(article=approved, user=editor)
    review.review_approve(article=approved, revision=revision, user=reviewer)
    return {**people, "sent_back": sent_back, "approved": approved}


def boxes_overlap(first, second):
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_object_tools_never_cover_the_article_title(live_server, browser, work, width):
    page = log_in(browser, live_server, "eddie")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[work['article'].pk])}")
    headings = page.locator("#content > h1, #content > h2")  # "Change article" and the article's title
    assert LONG_TITLE in headings.all_inner_texts()
    tools = page.locator(".object-tools li").all()
    assert len(tools) >= 4
    for heading in headings.all():
        for tool in tools:
            assert not boxes_overlap(tool.bounding_box(), heading.bounding_box()), (width, tool.inner_text())


def test_the_decision_buttons_stay_in_view_beside_a_long_diff(live_server, browser, work):
    page = log_in(browser, live_server, "rita")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}{reverse('admin:articles_article_review', args=[work['article'].pk])}")
    assert page.evaluate("document.documentElement.scrollHeight") > 3700
    for scroll in (0, 2000, 100000):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        for name in ("Approve", "Request changes"):
            button = page.get_by_role("button", name=name)
            box = button.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 800, (scroll, name, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    assert "button" in page.get_by_role("button", name="Approve").get_attribute("class")
    assert "default" in page.get_by_role("button", name="Approve").get_attribute("class")


def test_each_person_finds_their_own_work_on_the_dashboard(live_server, browser, work):
    SCREENS.mkdir(parents=True, exist_ok=True)
    reviewer = log_in(browser, live_server, "rita")
    dashboard = reviewer.locator("#medical-review")
    assert "Waiting for your medical review: 1" in dashboard.inner_text()
    assert "Changes requested on your articles" not in dashboard.inner_text()
    assert "Approved, ready to publish" not in dashboard.inner_text()
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name=LONG_TITLE).click()
    assert reviewer.get_by_role("button", name="Approve").is_visible()
    assert_accessible(reviewer)
    for width in (1280, 375):
        reviewer.set_viewport_size({"width": width, "height": 800})
        reviewer.screenshot(path=str(SCREENS / f"review-screen-{width}.png"), full_page=width == 375)

    editor = log_in(browser, live_server, "eddie")
    dashboard = editor.locator("#medical-review").inner_text()
    assert "Changes requested on your articles: 1" in dashboard and "Please cite NICE." in dashboard
    assert "Approved, ready to publish: 1" in dashboard and "Hip pain guide" in dashboard
    assert "Waiting for your medical review" not in dashboard
    assert_accessible(editor)
    for width in (1280, 375):
        editor.set_viewport_size({"width": width, "height": 800})
        editor.screenshot(path=str(SCREENS / f"dashboard-{width}.png"), full_page=True)
    editor.locator("#work-changes-requested").get_by_role("link", name="Knee pain guide").click()
    assert "Live, changes requested" in editor.locator(".review-panel").inner_text()
    assert_accessible(editor)
    editor.get_by_role("link", name="Versions").click()
    assert editor.title().startswith("Versions of “Knee pain guide”")
    assert_accessible(editor)

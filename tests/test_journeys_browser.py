"""What a new reader sees after each thing they send, in Chromium at 375 and 1280 px, with and
without JavaScript: the confirmation (or their own held comment) is inside the viewport, and is
focused (JavaScript) or announced (role="status"); nobody else sees a held comment, and no page
showing one is stored in the page cache.
"""

import pickle

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from articles.tests.factories import make_article
from comments.models import Comment
from comments.tests.factories import make_comment
from pagecache import storage
from tests.support.browser import assert_accessible
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {375: {"width": 375, "height": 740}, 1280: {"width": 1280, "height": 800}}
COMBINATIONS = [(width, js) for width in VIEWPORTS for js in (True, False)]
COMMENT = "Walking every morning eased my back more than I expected."
REPLY = "Which shoes did you find kindest to your back?"
LONG_BODY = "\n\n".join(
    f"## Part {n}\n\n" + " ".join(["Gentle movement and good sleep both help with long-lasting pain."] * 8)
    for n in range(8)
)


@pytest.fixture
def story(db, page_cache):
    article = make_article(title="Living with sciatica", slug="living-with-sciatica", body=LONG_BODY)
    first = make_comment(
        article, name="Maya", body="Has anyone tried swimming for sciatica? It is the only thing that helps me."
    )
    for n in range(3):
        make_comment(article, name=f"Reader {n}", body=f"A thought about pacing, number {n}.")
    topic = TopicSuggestion.objects.create(topic="Sleeping well with sciatica", status="planned", votes=4)
    return {"article": article, "first": first, "topic": topic}


@pytest.fixture
def open_context(browser):
    contexts = []

    def opener(width, js):
        context = browser.new_context(viewport=VIEWPORTS[width], java_script_enabled=js)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def assert_in_view(page, locator):
    """The element is laid out inside the viewport (its whole box, or its top when it is taller)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert -1 <= box["y"] < viewport["height"], (box, viewport)
    assert box["y"] + min(box["height"], viewport["height"]) <= viewport["height"] + 1, (box, viewport)
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, (box, viewport)


def post_comment(page, body):
    """Sam posts `body` through the form on the page, as a reader would; the stored comment."""
    page.fill("#id_name", "Sam")
    page.fill("#id_email", "sam@example.com")
    page.fill("#id_body", body)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    return Comment.objects.get(body=body)


def assert_focused_or_announced(locator, js, *, focused=None):
    if js:
        expect(focused or locator).to_be_focused()
    else:
        announced = locator if locator.get_attribute("role") == "status" else locator.locator('[role="status"]')
        expect(announced.first).to_have_attribute("role", "status")


def stored_pages():
    pages = [pickle.loads(raw)["content"] for raw in caches["pages"]._cache.values()]  # noqa: S301
    return pages + storage.local_copies.contents()


def shot(page, screenshot_dir, name, width, js):
    if width == 375:
        path = screenshot_dir / f"journey-{name}-375-{'js' if js else 'nojs'}.png"
        page.screenshot(path=str(path))


@pytest.mark.parametrize(("width", "js"), COMBINATIONS)
def test_a_reader_sees_their_held_comment_and_reply_where_they_are_looking(
    open_context, live_server, story, screenshot_dir, width, js
):
    article, first = story["article"], story["first"]
    url = live_server.url + article.get_absolute_url()
    page = open_context(width, js)

    # A new comment.
    page.goto(url)
    comment = post_comment(page, COMMENT)
    assert page.url.endswith(f"#comment-{comment.pk}")
    held = page.locator(f"#comment-{comment.pk}")
    note = page.locator(f"#comment-{comment.pk}-held")
    expect(note).to_have_text(
        "Awaiting moderation — only you can see this. Our team reads every comment before other readers see it."
    )
    assert_in_view(page, note)
    assert_focused_or_announced(note, js, focused=held)
    if js:
        assert_accessible(page)
    shot(page, screenshot_dir, "comment", width, js)

    # A reply: the form opens right under the comment it answers, quoting it.
    page.locator(f"#comment-{first.pk}").get_by_role("link", name="Reply to Maya").click()
    page.wait_for_load_state()
    form = page.locator("#comment-form")
    expect(form.locator(".reply-quote")).to_contain_text("Has anyone tried swimming for sciatica?")
    assert page.locator(f"li:has(> #comment-{first.pk}) #comment-form").count() == 1
    assert_in_view(page, page.locator("#comment-form-heading"))
    shot(page, screenshot_dir, "reply-form", width, js)
    reply = post_comment(page, REPLY)
    assert reply.parent_id == first.pk
    reply_note = page.locator(f"#comment-{reply.pk}-held")
    assert_in_view(page, reply_note)
    assert_focused_or_announced(reply_note, js, focused=page.locator(f"#comment-{reply.pk}"))
    assert page.locator(f"li:has(> #comment-{first.pk}) #comment-{reply.pk}").count() == 1
    if js:
        assert_accessible(page)
    shot(page, screenshot_dir, "reply", width, js)

    # Nobody else sees them, and no stored page holds them.
    other = open_context(width, js)
    other.goto(url)
    expect(other.locator("#comments")).not_to_contain_text(COMMENT)
    expect(other.locator("#comments")).not_to_contain_text(REPLY)
    expect(other.get_by_text("only you can see this")).to_have_count(0)
    assert stored_pages(), "the other reader's visit stored the article"
    assert all(COMMENT.encode() not in content and REPLY.encode() not in content for content in stored_pages())


@pytest.mark.parametrize(("width", "js"), COMBINATIONS)
def test_a_reader_sees_the_thanks_for_a_suggestion_and_a_vote_beside_what_they_used(
    open_context, live_server, story, screenshot_dir, width, js
):
    article, topic = story["article"], story["topic"]
    page = open_context(width, js)

    # A suggestion from the article page's sidebar form.
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("#topic-topic", "Driving long distances with back pain")
    page.get_by_role("button", name="Send my suggestion").click()
    page.wait_for_load_state()
    thanks = page.locator("#topic-form-done")
    expect(thanks).to_have_text("Thank you — we will review your suggestion.")
    assert_in_view(page, thanks)
    assert_focused_or_announced(thanks, js)
    expect(page.locator("main .messages")).to_have_count(0)
    if js:
        assert_accessible(page)
    shot(page, screenshot_dir, "suggestion", width, js)

    # A vote on the board: the new count and "You asked for this" beside the topic.
    page.goto(f"{live_server.url}/topics/")
    page.locator(f"#topic-{topic.pk}").get_by_role("button", name="I want this too").click()
    page.wait_for_load_state()
    item = page.locator(f"#topic-{topic.pk}")
    done = page.locator(f"#topic-{topic.pk}-done")
    expect(done).to_have_text("Thank you — your vote for “Sleeping well with sciatica” is counted.")
    expect(item).to_contain_text("5 readers want this")
    expect(item).to_contain_text("You asked for this")
    assert_in_view(page, done)
    assert_focused_or_announced(done, js)
    if js:
        assert_accessible(page)
    shot(page, screenshot_dir, "vote", width, js)

    # The same address from a browser that forgot its cookie: told so, beside the topic.
    again = open_context(width, js)
    again.goto(f"{live_server.url}/topics/")
    again.locator(f"#topic-{topic.pk}").get_by_role("button", name="I want this too").click()
    again.wait_for_load_state()
    repeated = again.locator(f"#topic-{topic.pk}-done")
    expect(repeated).to_contain_text("You have already asked for “Sleeping well with sciatica”")
    assert_in_view(again, repeated)
    assert_focused_or_announced(repeated, js)
    expect(again.locator(f"#topic-{topic.pk}")).to_contain_text("5 readers want this")
    shot(again, screenshot_dir, "vote-repeated", width, js)


@pytest.mark.parametrize("js", [True, False])
def test_the_header_menu_fits_a_320_px_screen_and_is_reachable_by_keyboard(open_context, live_server, story, js):
    page = open_context(375, js)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + story["article"].get_absolute_url())
    header = page.locator(".site-header")
    for name in ("Topic ideas", "Shop"):
        link = header.get_by_role("link", name=name)
        assert_in_view(page, link)
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the clinic's name
    page.keyboard.press("Tab")
    expect(header.get_by_role("link", name="Topic ideas")).to_be_focused()
    page.keyboard.press("Tab")
    expect(header.get_by_role("link", name="Shop")).to_be_focused()
    for path in ("/", "/topics/", "/shop/", "/follow/", story["article"].get_absolute_url()):
        page.goto(live_server.url + path)
        boxes = (
            page.locator("body *").evaluate_all(
                "els => els.filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().right)"
            )
            if js
            else []
        )
        if js:
            assert max(boxes) <= 321, path
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        else:
            # Without JavaScript nothing can be measured from inside the page; the layout is the same.
            expect(page.locator(".site-links")).to_be_visible()


def test_the_follow_page_is_accessible(page, live_server, story):
    page.goto(f"{live_server.url}/follow/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow the clinic")
    assert_accessible(page)
    page.goto(f"{live_server.url}/topics/")
    assert_accessible(page)

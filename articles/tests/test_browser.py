"""The public pages in a real browser: navigation, table of contents, accessibility, layout."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import make_article, make_category, make_image_file, make_reviewed_article
from core.models import SiteSettings
from tests.support.browser import assert_accessible, wait_for_condition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_BODY = "\n\n".join(
    [
        "Lower back pain is common, and most of it settles with time, movement and simple care.",
        "## What the treatment involves",
        "\n\n".join(["A specialist explains each step before starting, and you can ask questions." * 3] * 6),
        "### Before the appointment",
        "- Bring a list of your medicines\n- Wear comfortable clothes\n- Arrange a lift home",
        "## Recovery afterwards",
        "\n\n".join(["Most people go home the same day and rest for the remainder of it." * 3] * 6),
        "## When to contact us",
        "\n\n".join(["Call the clinic if the pain is much worse, or if you notice a fever." * 3] * 6),
    ]
)


@pytest.fixture
def site(settings):
    settings.PAGE_CACHE_SECONDS = 0
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={
            "community_url": "https://community.example.org/",
            "contact_phone": "555 0100",
            "address": "1 River Road\nSpringfield",
        },
    )
    article = make_reviewed_article(
        summary="What happens during a spinal injection, who it can help, and how recovery usually goes.",
        body=LONG_BODY,
        hero_image=make_image_file("hero.jpg", size=(1600, 900)),
        hero_alt="A clinician explaining a model of the spine",
    )
    back, reviewer = article.category, article.reviewer
    joints = make_category(name="Joints", slug="joints")
    now = timezone.now()
    for n in range(4):
        make_article(
            title=f"Gentle exercise for stiff joints, part {n + 1}",
            slug=f"joints-{n}",
            category=joints if n % 2 else back,
            author=reviewer,
            publish_at=now - timedelta(days=n + 2),
        )
    return {"article": article, "back": back}


def shoot(page, screenshot_dir, name):
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("networkidle")  # a wider viewport may pick a larger image from srcset
        page.screenshot(path=str(screenshot_dir / f"articles-{name}-{width}.png"), full_page=True)


def test_reader_clicks_from_home_to_category_to_article(live_server, page, console_errors, site):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Topics").get_by_role("link", name="Back & Spine").click()
    page.wait_for_url("**/categories/back-spine/")
    assert page.get_by_role("heading", level=1).inner_text() == "Back & Spine"
    page.get_by_role("link", name="Injections for lower back pain").click()
    page.wait_for_url("**/articles/injections-lower-back/")
    assert page.get_by_role("heading", level=1).inner_text() == "Injections for lower back pain"
    assert console_errors == []


def test_table_of_contents_links_jump_to_their_heading(live_server, page, console_errors, site):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(live_server.url + site["article"].get_absolute_url())
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="When to contact us").click()
    wait_for_condition(page, "location.hash === '#s-when-to-contact-us'")
    heading = page.locator("#s-when-to-contact-us")
    assert heading.is_visible()
    box = heading.bounding_box()
    assert 0 <= box["y"] < 700
    assert console_errors == []


def test_public_pages_are_accessible_and_render_at_phone_and_desktop_widths(
    live_server, page, console_errors, site, screenshot_dir
):
    pages = {
        "home": "/",
        "category": site["back"].get_absolute_url(),
        "article": site["article"].get_absolute_url(),
        "clinician": "/clinicians/ada-lane/",
        "search": reverse("articles:search") + "?q=injection",
        "search-none": reverse("articles:search") + "?q=zzzqqq",
        "search-empty": reverse("articles:search"),
        "404": "/articles/not-here/",
    }
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "404" else 200), name
        page.wait_for_load_state("load")
        assert_accessible(page)
        shoot(page, screenshot_dir, name)
        # Nothing spills sideways on a small phone.
        page.set_viewport_size({"width": 320, "height": 700})
        assert page.evaluate("document.documentElement.scrollWidth <= 320"), name
        if name == "404":  # Chromium logs the page's own 404 status, and nothing else may fail
            assert console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
        else:
            assert console_errors == [], name


def test_skip_link_moves_focus_to_the_main_content(live_server, page, site):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    wait_for_condition(page, "location.hash === '#main'")


def sections_body(count):
    return "Most back pain settles with time, movement and simple care.\n\n" + "\n\n".join(
        f"## Step {n} of the plan\n\nWhat to do at this step, and why it helps." for n in range(1, count + 1)
    )


def test_a_long_contents_box_is_closed_on_a_phone_so_the_article_starts_on_the_first_screen(live_server, page, site):
    article = make_article(title="Twenty-five steps to a calmer back", slug="many-steps", body=sections_body(25))
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("load")
    contents = page.locator("nav.toc details")
    assert contents.evaluate("details => details.open") is False
    first_text = page.locator(".prose p").first.bounding_box()
    assert first_text["y"] < 812, first_text

    # A tap opens it, with no script involved.
    page.get_by_text("On this page").click()
    assert contents.evaluate("details => details.open") is True
    assert page.get_by_role("link", name="Step 25 of the plan").is_visible()


def test_a_long_contents_box_is_open_on_a_wide_screen(live_server, page, console_errors, site):
    article = make_article(title="Twenty-five steps to a calmer back", slug="many-steps", body=sections_body(25))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.locator("nav.toc details").evaluate("details => details.open") is True
    assert page.get_by_role("link", name="Step 1 of the plan").is_visible()
    assert_accessible(page)
    assert console_errors == []


def test_an_article_with_one_section_has_no_contents_box(live_server, page, site):
    article = make_article(slug="one-section", body="## Only section\n\nShort and sweet.")
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("nav.toc").count() == 0
    few = make_article(slug="few-sections", body=sections_body(4))
    page.goto(live_server.url + few.get_absolute_url())
    assert page.locator("nav.toc details").count() == 0
    assert page.get_by_role("navigation", name="On this page").get_by_role("link").count() == 4

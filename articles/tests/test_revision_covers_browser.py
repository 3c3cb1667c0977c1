"""A caption change in a real browser: it waits for the medical reviewer and the editor's publish."""

from datetime import date

import pytest
from django.urls import reverse

from articles.demo.approvals import record_past_approval
from articles.models import ArticleImage
from articles.tests.factories import make_image_file
from articles.tests.test_review_browser import log_in, open_review, staff_and_article
from core.groups import EDITORS
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAPTION = "Bend slowly, never into pain."
NEW_CAPTION = "Bend slowly and stop before it hurts."


@pytest.fixture
def live_with_image(django_user_model, settings):
    """A live, approved article with an image in its text, an editor and its named reviewer."""
    images = (EDITORS, {"articleimage": ["add", "change", "delete", "view"]})
    article = staff_and_article(django_user_model, settings, images, reviewed_on=None)["article"]
    image = ArticleImage.objects.create(
        article=article, image=make_image_file("knee.jpg"), alt="A physiotherapist guiding a knee bend", caption=CAPTION
    )
    # Kept with plain line ends, as the form keeps a browser's text, so the diff shows the caption only.
    article.body = f"## Moving\n\nWalking helps most people.\n\n{image.marker}"
    article.save()
    record_past_approval(article=article, clinician=article.reviewer, reviewed_on=date(2026, 1, 10))
    return article


def caption_readers_see(browser, live_server, article):
    page = browser.new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    caption = page.locator("figure.article-figure figcaption").inner_text()
    page.close()
    return caption


def test_a_caption_change_reaches_readers_only_after_review_and_publishing(live_server, browser, live_with_image):
    article = live_with_image
    editor = log_in(browser, live_server, "eddie")
    reviewer = log_in(browser, live_server, "rita")
    assert caption_readers_see(browser, live_server, article) == CAPTION

    # The editor changes only the caption of the image in the text.
    editor.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")
    editor.fill("#id_images-0-caption", NEW_CAPTION)
    editor.click("input[name=_save]")
    editor.wait_for_url("**/admin/articles/article/")
    assert "saved as a draft" in editor.content()
    assert caption_readers_see(browser, live_server, article) == CAPTION

    open_review(editor, live_server, article)
    editor.get_by_role("button", name="Submit for medical review").click()
    assert "Submitted for medical review" in editor.content()

    # The reviewer sees the caption change and approves it; readers still see the old caption.
    open_review(reviewer, live_server, article)
    assert "Images in the text" in reviewer.content()
    assert reviewer.locator(".word-diff ins").first.is_visible()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Approve").click()
    assert "Approved. The editors have been told." in reviewer.content()
    assert caption_readers_see(browser, live_server, article) == CAPTION

    # The editor publishes: now readers see the new caption.
    open_review(editor, live_server, article)
    editor.get_by_role("button", name="Publish").click()
    assert "Published. Readers see the new version now." in editor.content()
    assert caption_readers_see(browser, live_server, article) == NEW_CAPTION

"""A caption change in a real browser: it waits for the medical reviewer and the editor's publish."""

from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.demo.approvals import record_past_approval
from articles.models import ArticleImage
from articles.tests.factories import make_article, make_category, make_clinician, make_image_file
from articles.tests.test_review_browser import PASSWORD, log_in, open_review
from core.groups import EDITORS, MEDICAL_REVIEWERS, grant
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAPTION = "Bend slowly, never into pain."
NEW_CAPTION = "Bend slowly and stop before it hurts."


@pytest.fixture
def live_with_image(django_user_model, settings):
    """A live, approved article with an image in its text, an editor and its named reviewer."""
    settings.PAGE_CACHE_SECONDS = 0
    grant(apps, EDITORS, "articles", {"article": ["add", "change", "view", "publish"], "category": ["view"]})
    grant(apps, EDITORS, "articles", {"clinician": ["view"], "slugredirect": ["add", "change", "delete", "view"]})
    grant(apps, EDITORS, "articles", {"articleimage": ["add", "change", "delete", "view"]})
    grant(apps, MEDICAL_REVIEWERS, "articles", {"article": ["view", "approve"], "clinician": ["view"]})
    editor = django_user_model.objects.create_user("eddie", "eddie@clinic.example", PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    reviewer = django_user_model.objects.create_user("rita", "rita@clinic.example", PASSWORD, is_staff=True)
    reviewer.groups.add(Group.objects.get(name=MEDICAL_REVIEWERS))
    article = make_article(
        title="Easing lower back pain",
        slug="easing-back-pain",
        category=make_category(name="Back & Spine", slug="back-spine"),
        summary="What helps when your lower back hurts.",
        body="x",
        reviewer=make_clinician(name="Dr Rita Reyes", slug="rita-reyes", user=reviewer),
    )
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

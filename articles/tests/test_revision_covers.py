"""A revision covers everything a reader sees of an article: its text, its images (file, alt text,
caption) and the people credited. None of them reaches readers before it is approved and published."""

import json
import re
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from articles.demo.approvals import record_past_approval
from articles.models import Article, ArticleImage
from articles.review import ReviewState, approval_for, medical_review
from articles.tests.factories import make_clinician, make_image_file
from articles.tests.people import back_pain_article, login, make_user, rita_reyes
from articles.tests.test_review import approve_newest, edit, newest, step
from articles.typos import is_typo_only
from core.groups import MEDICAL_REVIEWERS
from revisions.models import Revision

pytestmark = pytest.mark.django_db

CAPTION = "Bend slowly, never into pain."
UNREVIEWED = "UNREVIEWED: take 12 tablets a day"
FIGURE = re.compile(r'<figure class="article-figure">.*?</figure>', re.S)


@pytest.fixture
def live(reviewer):
    """A live article with an image placed in its text, approved as it stands."""
    article = back_pain_article(reviewer=rita_reyes(reviewer), reviewed_on=None)
    image = ArticleImage.objects.create(
        article=article, image=make_image_file("knee.jpg"), alt="A physiotherapist guiding a knee bend", caption=CAPTION
    )
    article.body = f"## Moving\n\nGentle walking helps most people.\n\n{image.marker}"
    article.save()
    record_past_approval(article=article, clinician=article.reviewer, reviewed_on=date(2026, 1, 10))
    article.refresh_from_db()
    return article


def image_rows(article, **changes):
    """The inline rows of the article's images as its change form posts them, with `changes` on top."""
    data = {}
    for n, image in enumerate(ArticleImage.objects.filter(article=article)):
        data.update(
            {
                f"images-{n}-id": str(image.pk),
                f"images-{n}-article": str(article.pk),
                f"images-{n}-alt": image.alt,
                f"images-{n}-caption": image.caption,
            }
        )
    data.update(changes)
    return data


def what_readers_see(article):
    """The live page's figure, the JSON-LD, the feed and a search for the article, as readers get them."""
    anonymous = Client()
    page = anonymous.get(article.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    return {
        "figure": FIGURE.search(page).group(0) if FIGURE.search(page) else "",
        "page": page,
        "json_ld": json.loads(scripts[0]),
        "feed": anonymous.get(reverse("articles:feed")).content.decode(),
        "search": anonymous.get(reverse("articles:search"), {"q": "walking"}).content.decode(),
    }


def submit_approve_publish(editor, reviewer, article):
    step(login(editor), article, "submit")
    approve_newest(reviewer, article)
    response = step(login(editor), article, "publish")
    assert "Published. Readers see the new version now." in response.content.decode()


# --- Images in the text ---------------------------------------------------------------------------------


def test_a_caption_edited_in_the_admin_waits_for_review_and_publishing(editor, reviewer, live):
    before = what_readers_see(live)
    assert CAPTION in before["figure"]
    row_before = Article.objects.values().get(pk=live.pk)

    edit(login(editor), live, **image_rows(live, **{"images-0-caption": UNREVIEWED}))

    assert Article.objects.values().get(pk=live.pk) == row_before
    during = what_readers_see(live)
    assert during["figure"] == before["figure"]
    assert UNREVIEWED not in during["page"]
    assert during["json_ld"] == before["json_ld"] and during["feed"] == before["feed"]
    assert during["search"] == before["search"]
    review = medical_review(live)
    assert review.state == ReviewState.DRAFT and review.has_unpublished_changes
    assert [entry["caption"] for entry in newest(live).content["images"]] == [UNREVIEWED]
    screen = login(reviewer).get(reverse("admin:articles_article_review", args=[live.pk])).content.decode()
    assert "Images in the text" in screen and "UNREVIEWED" in screen
    refused = step(login(editor), live, "publish").content.decode()
    assert "has not been medically approved, so it cannot be published" in refused
    assert UNREVIEWED not in what_readers_see(live)["page"]

    submit_approve_publish(editor, reviewer, live)

    after = what_readers_see(live)
    assert UNREVIEWED in after["figure"] and CAPTION not in after["figure"]


def test_a_caption_edited_after_approval_needs_a_new_approval(editor, reviewer, live):
    edit(login(editor), live, summary="What helps when your lower back aches.", **image_rows(live))
    step(login(editor), live, "submit")
    approve_newest(reviewer, live)
    edit(login(editor), live, **image_rows(live, **{"images-0-caption": UNREVIEWED}))
    assert medical_review(live).state == ReviewState.DRAFT
    assert "cannot be published" in step(login(editor), live, "publish").content.decode()


def test_replacing_a_placed_image_keeps_the_old_file_on_the_page_until_publishing(editor, reviewer, live):
    image = live.images.get()
    old_name, old_renditions = image.image.name, [r["name"] for r in image.renditions["renditions"]]
    before = what_readers_see(live)
    assert old_renditions[0] in before["figure"]

    edit(login(editor), live, **image_rows(live, **{"images-0-image": make_image_file("knee-new.jpg")}))

    image.refresh_from_db()
    assert image.image.name != old_name  # a new file, never written over the old one
    assert default_storage.exists(old_name)
    assert all(default_storage.exists(name) for name in old_renditions)
    during = what_readers_see(live)
    assert during["figure"] == before["figure"]
    assert Client().get(before["figure"].split('src="')[1].split('"')[0]).status_code == 200

    submit_approve_publish(editor, reviewer, live)

    after = what_readers_see(live)
    new_rendition = image.renditions["renditions"][0]["name"]
    assert new_rendition in after["figure"] and old_renditions[0] not in after["figure"]
    # The earlier revision still shows the old file, so a revert can bring it back.
    assert default_storage.exists(old_name) and all(default_storage.exists(name) for name in old_renditions)


def test_saving_or_deleting_an_image_of_a_live_article_never_changes_its_row(live):
    row_before = Article.objects.values().get(pk=live.pk)
    image = live.images.get()
    image.caption = UNREVIEWED
    image.save()
    assert Article.objects.values().get(pk=live.pk) == row_before
    ArticleImage.objects.create(article=live, image=make_image_file("extra.jpg"), alt="A second image")
    assert Article.objects.values().get(pk=live.pk) == row_before
    image.delete()
    assert Article.objects.values().get(pk=live.pk) == row_before
    assert CAPTION in FIGURE.search(Client().get(live.get_absolute_url()).content.decode()).group(0)
    # The deleted image's files stay while a kept revision shows them.
    assert default_storage.exists(image.image.name)
    assert all(default_storage.exists(r["name"]) for r in image.renditions["renditions"])


def test_an_image_that_no_revision_shows_is_cleaned_up_when_deleted(live):
    image = ArticleImage.objects.create(article=live, image=make_image_file("unused.jpg"), alt="Never kept")
    names = [r["name"] for r in image.renditions["renditions"]]
    image.delete()
    assert not any(default_storage.exists(name) for name in names)


def test_a_changed_image_file_is_never_a_typo_fix(live):
    content = newest(live).content
    replaced = {**content, "images": [{**content["images"][0], "image": content["images"][0]["image"] + "x"}]}
    assert not is_typo_only(content, replaced)


# --- The people credited --------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["author", "reviewer"])
def test_changing_who_is_credited_needs_a_new_review(editor, reviewer, live, person, django_user_model):
    # Another reviewer who could approve, so the form accepts them: only the review is missing.
    other = make_clinician(
        name="Dr Someone Else", slug="someone-else", user=make_user(django_user_model, "sam", MEDICAL_REVIEWERS)
    )
    edit(login(editor), live, **image_rows(live, **{person: str(other.pk)}))
    latest = newest(live)
    assert latest.content[person] == other.pk
    assert approval_for(live, latest) is None
    assert "cannot be published" in step(login(editor), live, "publish").content.decode()


def test_a_revert_puts_the_images_of_the_old_revision_back_in_the_form(editor, live):
    first = newest(live)
    edit(login(editor), live, **image_rows(live, **{"images-0-caption": UNREVIEWED}))
    ArticleImage.objects.create(article=live, image=make_image_file("later.jpg"), alt="Added later")
    edit(login(editor), live, **image_rows(live))

    url = reverse("admin:articles_article_revert", args=[live.pk, first.number])
    assert login(editor).post(url).status_code == 302

    assert [image.content for image in live.images.all()] == first.content["images"]
    assert newest(live).content["images"] == first.content["images"]
    reverted = newest(live).number
    edit(login(editor), live, **image_rows(live))  # the form now holds exactly the reverted version
    assert newest(live).number == reverted


def test_a_body_sent_with_a_browsers_line_ends_is_no_change(editor, live):
    before = newest(live)
    edit(login(editor), live, body=before.content["body"].replace("\n", "\r\n"), **image_rows(live))
    assert newest(live).content["body"] == before.content["body"]
    assert approval_for(live, newest(live)) is not None


def test_a_body_kept_with_a_browsers_line_ends_by_an_earlier_version_keeps_its_approval(editor, live):
    """Texts saved before line ends were made plain still hold CRLF; saving them untouched is no change."""
    kept = newest(live)
    crlf = kept.content["body"].replace("\n", "\r\n")
    Revision.objects.filter(pk=kept.pk).update(content={**kept.content, "body": crlf})
    Article.objects.filter(pk=live.pk).update(body=crlf)
    edit(login(editor), live, **image_rows(live))
    assert approval_for(live, newest(live)) is not None

"""The staff preview of a draft shows exactly what readers will see once it is published, images
included, while the public page keeps showing the live version."""

import re
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from articles.demo.approvals import record_past_approval
from articles.models import Article, ArticleImage
from articles.review import article_save_draft
from articles.tests.factories import make_article, make_category, make_clinician, make_image_file
from articles.tests.test_review import approve_newest, edit, login, newest, step
from articles.tests.test_revision_covers import image_rows
from core.tests.hostile_images import html_polyglot

pytestmark = pytest.mark.django_db

HERO = re.compile(r'<figure class="hero">.*?</figure>', re.S)
FIGURE = re.compile(r'<figure class="article-figure">.*?</figure>', re.S)
NEW_ALT = "A heat pack resting on a lower back"


@pytest.fixture
def live(reviewer):
    """A live, approved article with a main image and an image placed in its text."""
    article = make_article(
        title="Easing lower back pain",
        slug="easing-back-pain",
        category=make_category(name="Back & Spine", slug="back-spine"),
        reviewer=make_clinician(name="Dr Rita Reyes", slug="rita-reyes", user=reviewer),
        hero_image=make_image_file("old-hero.jpg", size=(1600, 900)),
        hero_alt="A physiotherapist at work",
    )
    image = ArticleImage.objects.create(
        article=article, image=make_image_file("knee.jpg"), alt="A knee bend", caption="Bend slowly."
    )
    article.body = f"## Moving\n\nGentle walking helps most people.\n\n{image.marker}"
    article.save()
    record_past_approval(article=article, clinician=article.reviewer, reviewed_on=date(2026, 1, 10))
    article.refresh_from_db()
    return article


def stem_of(name):
    return re.match(r"^.*/([0-9a-f]{32})\.\w+$", name).group(1)


def preview_of(user, article):
    response = login(user).get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def hero_of(page):
    found = HERO.search(page)
    return found.group(0) if found else ""


def test_the_preview_shows_a_drafts_new_hero_image_and_the_public_page_keeps_the_old_one(editor, live):
    old_stem = stem_of(live.hero_image.name)
    assert old_stem in hero_of(Client().get(live.get_absolute_url()).content.decode())

    edit(
        login(editor),
        live,
        hero_image=make_image_file("new-hero.jpg", size=(1000, 500)),
        hero_alt=NEW_ALT,
        **image_rows(live),
    )

    new_name = newest(live).content["hero_image"]
    preview = hero_of(preview_of(editor, live))
    assert stem_of(new_name) in preview and old_stem not in preview
    assert f'alt="{NEW_ALT}"' in preview
    assert 'width="1000" height="500"' in preview  # the size readers' page will give it, so nothing jumps
    public = Client().get(live.get_absolute_url()).content.decode()
    assert old_stem in hero_of(public)
    assert stem_of(new_name) not in public and NEW_ALT not in public
    assert not Article.objects.get(pk=live.pk).hero_renditions["source"].endswith(new_name.rsplit("/", 1)[1])


def test_a_wide_new_hero_is_previewed_at_the_width_readers_will_get(editor, live):
    edit(
        login(editor),
        live,
        hero_image=make_image_file("wide.jpg", size=(2400, 1200)),
        hero_alt=NEW_ALT,
        **image_rows(live),
    )
    assert 'width="1200" height="600"' in hero_of(preview_of(editor, live))


def test_the_preview_shows_the_same_hero_markup_readers_get_once_it_is_published(editor, reviewer, live):
    edit(
        login(editor),
        live,
        hero_image=make_image_file("new-hero.jpg", size=(1000, 500)),
        hero_alt=NEW_ALT,
        **image_rows(live),
    )
    previewed = re.search(r'width="\d+" height="\d+" alt="[^"]*"', hero_of(preview_of(editor, live))).group(0)
    step(login(editor), live, "submit")
    approve_newest(reviewer, live)
    step(login(editor), live, "publish")
    published = hero_of(Client().get(live.get_absolute_url()).content.decode())
    assert previewed in published
    assert stem_of(newest(live).content["hero_image"]) in published


def test_the_preview_shows_a_drafts_replaced_image_in_the_text_and_the_public_page_the_old_one(editor, live):
    image = live.images.get()
    old_stem = stem_of(image.image.name)

    edit(login(editor), live, **image_rows(live, **{"images-0-image": make_image_file("knee-new.jpg")}))

    image.refresh_from_db()
    preview = FIGURE.search(preview_of(editor, live)).group(0)
    assert stem_of(image.image.name) in preview and old_stem not in preview
    public = FIGURE.search(Client().get(live.get_absolute_url()).content.decode()).group(0)
    assert old_stem in public and stem_of(image.image.name) not in public


def test_a_removed_hero_image_is_gone_from_the_preview_only(editor, live):
    edit(login(editor), live, **image_rows(live, **{"hero_image-clear": "on", "hero_alt": ""}))
    assert hero_of(preview_of(editor, live)) == ""
    assert hero_of(Client().get(live.get_absolute_url()).content.decode())


def test_a_draft_file_an_earlier_version_stored_as_uploaded_is_never_linked_by_the_preview(editor, live):
    raw = default_storage.save("articles/x.html", html_polyglot())
    live.hero_image = raw
    live.hero_alt = NEW_ALT
    article_save_draft(article=live, user=editor)
    preview = preview_of(editor, live)
    assert raw not in preview and hero_of(preview) == ""

"""A new image in a draft of a live article is stored safe at once and stays unlinked until published."""

import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.review import article_save_draft
from articles.tests.factories import make_clinician
from articles.tests.people import back_pain_article, login, rita_reyes
from articles.tests.test_review import approve_newest, edit, newest, step
from core.tests.hostile_images import FORMATS, UPLOADS, assert_stored_clean, html_polyglot

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(reviewer):
    return back_pain_article(reviewer=rita_reyes(reviewer), author=make_clinician(name="Dr Ada Lane", slug="ada-lane"))


def draft_hero(editor, article, upload):
    edit(login(editor), article, hero_image=upload, hero_alt="A warm compress on a lower back")
    return newest(article).content["hero_image"]


@pytest.mark.parametrize("kind", UPLOADS)
def test_a_draft_hero_image_is_stored_re_encoded_without_metadata_under_a_name_the_server_chose(editor, live, kind):
    upload = UPLOADS[kind]()
    name = draft_hero(editor, live, upload)
    assert name.startswith("articles/")
    assert_stored_clean(name, image_format=FORMATS[kind], upload_name=upload.name)
    assert not Article.objects.get(pk=live.pk).hero_image  # readers still see the live version


def public_pages(article):
    anonymous = Client()
    urls = [
        reverse("articles:home"),
        article.get_absolute_url(),
        reverse("articles:category", kwargs={"slug": article.category.slug}),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:category_feed", kwargs={"slug": article.category.slug}),
        reverse("articles:clinician", kwargs={"slug": article.author.slug}),
        reverse("articles:search") + "?q=back",
        reverse("sitemap"),
    ]
    pages = {}
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def stem_of(name):
    return re.match(r"^.*/([0-9a-f]{32})\.\w+$", name).group(1)


def test_no_public_page_feed_or_sitemap_links_a_drafts_new_image(editor, live):
    name = draft_hero(editor, live, html_polyglot())
    assert default_storage.exists(name)
    for url, page in public_pages(live).items():
        assert stem_of(name) not in page, url


def test_the_published_hero_is_the_drafts_stored_file_with_renditions_of_the_same_name(editor, reviewer, live):
    name = draft_hero(editor, live, html_polyglot())
    step(login(editor), live, "submit")
    approve_newest(reviewer, live)
    step(login(editor), live, "publish")
    row = Article.objects.get(pk=live.pk)
    assert row.hero_image.name == name
    assert row.hero_renditions["source"] == name
    page = Client().get(live.get_absolute_url()).content.decode()
    assert f"{stem_of(name)}-" in page  # its renditions are on the page now


def test_a_draft_image_stored_as_uploaded_before_this_is_re_encoded_when_it_goes_live(editor, reviewer, live):
    """Drafts saved by earlier versions kept the raw upload under its own name; publishing cleans it."""
    upload = html_polyglot()
    raw = default_storage.save("articles/x.html", upload)
    live.hero_image = raw
    live.hero_alt = "A warm compress on a lower back"
    article_save_draft(article=live, user=editor)
    step(login(editor), live, "submit")
    approve_newest(reviewer, live)
    step(login(editor), live, "publish")
    row = Article.objects.get(pk=live.pk)
    assert row.hero_image.name != raw
    assert_stored_clean(row.hero_image.name, image_format="PNG", upload_name=upload.name)
    assert raw not in Client().get(live.get_absolute_url()).content.decode()

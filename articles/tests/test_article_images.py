"""Images inside an article's text: placed with `[image:<id>]`, shown as a figure with renditions."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from PIL import Image

from articles.models import Article, ArticleImage
from articles.tests.factories import make_article, make_image_file

pytestmark = pytest.mark.django_db


def add_image(article, **fields):
    fields.setdefault("image", make_image_file("knee.jpg", size=(1600, 900)))
    fields.setdefault("alt", "A physiotherapist guiding a knee bend")
    return ArticleImage.objects.create(article=article, **fields)


def test_an_image_line_becomes_a_figure_with_renditions_size_alt_caption_and_lazy_loading(client):
    article = make_article(body="Before.\n\nAfter.")
    image = add_image(article, caption="Bend slowly, <b>never</b> into pain")
    article.body = f"Before.\n\n{image.marker}\n\nAfter."
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="article-figure">.*?</figure>', page, re.S).group(0)
    assert 'alt="A physiotherapist guiding a knee bend"' in figure
    assert "srcset=" in figure and ".webp 480w" in figure and ".webp 800w" in figure
    assert 'loading="lazy"' in figure and 'width="' in figure and 'height="' in figure
    assert "<figcaption>Bend slowly, &lt;b&gt;never&lt;/b&gt; into pain</figcaption>" in figure


def test_a_draft_shows_its_images_as_they_are_now_without_saving_the_article_again(client):
    """A published article shows the images of its live revision instead (test_revision_covers.py)."""
    article = make_article(body="Intro.\n\n[image:999999]\n\nEnd.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "[image:" not in page and "<figure" not in page  # a line naming no image is dropped
    article.status = Article.Status.DRAFT
    image = add_image(article)
    article.body = f"Intro.\n\n{image.marker}\n\nEnd."
    article.save()
    image.caption = "Now with a caption"
    image.save()
    assert "Now with a caption" in Article.objects.get(pk=article.pk).body_html
    image.delete()
    assert "<figure" not in Article.objects.get(pk=article.pk).body_html


def test_an_image_of_another_article_is_not_shown():
    other = add_image(make_article())
    article = make_article(body=f"Text.\n\n{other.marker}\n")
    assert "<figure" not in article.body_html


def test_hostile_alt_text_cannot_break_out_of_the_attribute():
    article = make_article(body="x")
    image = add_image(article, alt='" onerror="alert(1)')
    article.body = image.marker
    article.save()
    assert 'alt="&quot; onerror=&quot;alert(1)"' in article.body_html


def test_a_png_stays_a_png_with_its_transparency():
    article = make_article()
    upload = make_image_file("logo.png", size=(900, 600), image_format="PNG")
    image = add_image(article, image=upload)
    assert image.image.name.endswith(".png")
    with Image.open(image.image) as stored:
        assert stored.format == "PNG"
    transparent = Image.new("RGBA", (900, 600), (0, 0, 0, 0))
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = BytesIO()
    transparent.save(buffer, "PNG")
    second = add_image(article, image=SimpleUploadedFile("clear.png", buffer.getvalue(), content_type="image/png"))
    with Image.open(second.image) as stored:
        assert stored.mode == "RGBA" and stored.getpixel((0, 0))[3] == 0
    with Image.open(second.image.storage.open(second.renditions["renditions"][0]["name"])) as rendition:
        assert rendition.mode == "RGBA" and rendition.getpixel((0, 0))[3] == 0


def test_the_admin_warns_about_an_image_narrower_than_it_is_shown_and_lists_images_for_the_toolbar(client):
    admin_user = User.objects.create_superuser("chief", "chief@example.com", "a long test password")
    client.force_login(admin_user)
    article = make_article()
    add_image(article, image=make_image_file("small.jpg", size=(400, 300)), alt="A small sketch")
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "data-images=" in page and "A small sketch" in page
    assert "400 pixels wide but is shown up to 800 pixels wide" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_places_an_image_from_the_toolbar_and_readers_see_a_figure(live_server, page, console_errors):
    admin_user = User.objects.create_superuser("chief", "chief@example.com", "a long test password")
    # A draft: its saves change the article itself (a live article's go to review first).
    article = make_article(body="Start with a gentle warm-up.", status="draft")
    image = add_image(article, alt="A gentle knee bend", caption="Keep the heel down")
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")

    page.click("#id_body")
    page.keyboard.press("Control+End")
    page.get_by_label("Insert image").select_option(label="A gentle knee bend")
    assert page.input_value("#id_body") == f"Start with a gentle warm-up.\n\n{image.marker}\n\n"
    page.keyboard.type("Then rest.")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert console_errors == []
    Article.objects.filter(pk=article.pk).update(status="published")

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    figure = page.locator("figure.article-figure")
    assert figure.locator("img").get_attribute("alt") == "A gentle knee bend"
    assert "480w" in figure.locator("img").get_attribute("srcset")
    assert figure.locator("figcaption").inner_text() == "Keep the heel down"
    assert "Then rest." in page.locator("main").inner_text()

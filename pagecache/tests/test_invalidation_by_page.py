"""A change drops exactly the stored pages that show what changed, on every instance, and no others."""

import pytest
from django.test import Client
from django.urls import reverse

import pagecache
from articles.tests.factories import make_article, make_category
from comments.models import Comment
from comments.tests.factories import make_comment
from core.models import SiteSettings
from shop.tests.factories import make_product

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def earlier_page(article):
    """The address of a page of earlier comments of `article` (three threads, one per page)."""
    threads = [make_comment(article, status=Comment.Status.APPROVED) for _ in range(3)]
    return reverse("comments:earlier", kwargs={"slug": article.slug}) + f"?before={threads[-1].pk}"


@pytest.fixture
def site(settings):
    """Two articles in two categories, a product, and every kind of cached page, stored once."""
    settings.COMMENTS_THREADS_PER_PAGE = 1
    back = make_article(title="Back pain", slug="back-pain", category=make_category(slug="back"))
    knees = make_article(title="Knee pain", slug="knee-pain", category=make_category(slug="knees"))
    product = make_product(slug="cooling-gel", featured=True)
    pages = {
        "home": "/",
        "back": back.get_absolute_url(),
        "back earlier": earlier_page(back),
        "knees": knees.get_absolute_url(),
        "knees earlier": earlier_page(knees),
        "back category": back.category.get_absolute_url(),
        "knees category": knees.category.get_absolute_url(),
        "clinician": back.author.get_absolute_url(),
        "shop": reverse("shop:list"),
        "product": product.get_absolute_url(),
        "board": reverse("topics:board"),
    }
    for url in pages.values():
        assert Client().get(url)["X-Page-Cache"] == "miss", url
    return {"back": back, "knees": knees, "product": product, "pages": pages}


def dropped(site):
    """The names of the stored pages that are no longer served from the cache."""
    return {name for name, url in site["pages"].items() if Client().get(url).get("X-Page-Cache") != "hit"}


def test_every_page_is_served_from_the_cache_when_nothing_changes(site):
    assert dropped(site) == set()


def test_an_approved_comment_drops_its_article_and_earlier_comments_pages_only(site):
    comment = make_comment(site["back"], status=Comment.Status.PENDING)
    assert dropped(site) == set()  # a comment waiting for review shows nowhere

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert dropped(site) == {"back", "back earlier"}


def test_the_approved_comment_shows_on_the_next_request(site):
    comment = make_comment(site["back"], status=Comment.Status.PENDING, body="Heat helped me most.")
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert "Heat helped me most." in Client().get(site["pages"]["back"]).content.decode()


def test_a_comment_taken_down_drops_its_article_again(site):
    comment = make_comment(site["knees"], status=Comment.Status.APPROVED)
    dropped(site)  # stored again after the approval
    comment.status = Comment.Status.SPAM
    comment.save()
    assert dropped(site) == {"knees", "knees earlier"}


def test_editing_an_older_article_drops_its_page_and_the_lists_showing_it_only(site):
    for number in range(4):  # newer articles fill the related lists of the category
        make_article(slug=f"newer-{number}", category=site["back"].category, author=site["knees"].author)
    dropped(site)
    site["back"].title = "Back pain, gently"
    site["back"].save()
    assert dropped(site) == {
        "home",
        "back",
        "back earlier",
        "back category",
        "clinician",
        "board",  # published topics link to articles
    }
    assert "Back pain, gently" in Client().get("/").content.decode()


def test_editing_a_newest_article_drops_the_pages_listing_it_as_related(site):
    neighbour = make_article(title="Back stretches", slug="back-stretches", category=site["back"].category)
    dropped(site)
    Client().get(neighbour.get_absolute_url())
    site["back"].title = "Back pain, gently"
    site["back"].save()
    assert Client().get(neighbour.get_absolute_url())["X-Page-Cache"] == "miss"
    assert "Back pain, gently" in Client().get(neighbour.get_absolute_url()).content.decode()


def test_publishing_an_article_drops_the_lists_and_the_article_pages(site):
    """Related articles are not recorded per category: every article page goes, the other
    category's page and the shop stay."""
    new = make_article(title="Sciatica", slug="sciatica", category=site["back"].category, status="draft")
    dropped(site)
    new.status = "published"
    new.save()
    assert dropped(site) == {"home", "back", "knees", "back category", "board"}


def test_saving_a_draft_leaves_the_article_pages_stored(site):
    draft = make_article(title="Not yet", slug="not-yet", status="draft")
    dropped(site)
    draft.title = "Still not yet"
    draft.save()
    assert not dropped(site) & {"home", "back", "knees", "back category", "shop", "product"}


def test_a_product_change_drops_the_shop_and_the_pages_with_the_widget(site):
    site["product"].name = "Cooling gel, larger tube"
    site["product"].save()
    assert dropped(site) == {"product", "shop", "home", "back", "knees"}


def test_a_hidden_product_edited_drops_nothing(site):
    hidden = make_product(slug="old-cream", is_active=False)
    dropped(site)
    hidden.name = "Old cream, renamed"
    hidden.save()
    assert dropped(site) == set()


def test_a_site_settings_change_drops_every_page(site):
    settings_row = SiteSettings.load()
    settings_row.clinic_name = "Riverside Pain and Spine Clinic"
    settings_row.save()
    assert dropped(site) == set(site["pages"])


@pytest.mark.urls("pagecache.tests.urls")
def test_a_page_tagged_by_its_view_is_dropped_by_that_tag_only():
    assert Client().get("/thing-seven/")["X-Page-Cache"] == "miss"
    assert Client().get("/plain/")["X-Page-Cache"] == "miss"
    pagecache.invalidate(pages=["thing:8"])
    assert Client().get("/thing-seven/")["X-Page-Cache"] == "hit"
    pagecache.invalidate(pages=["thing:7"])
    assert Client().get("/thing-seven/")["X-Page-Cache"] == "miss"
    assert Client().get("/plain/")["X-Page-Cache"] == "hit"


@pytest.mark.urls("pagecache.tests.urls")
def test_a_path_drops_every_keyed_query_of_it_and_nothing_else():
    for url in ("/paged/", "/paged/?page=2", "/plain/"):
        Client().get(url)
    pagecache.invalidate(pages=["/paged/"])
    answers = {url: Client().get(url)["X-Page-Cache"] for url in ("/paged/", "/paged/?page=2", "/plain/")}
    assert answers == {"/paged/": "miss", "/paged/?page=2": "miss", "/plain/": "hit"}


@pytest.mark.urls("pagecache.tests.urls")
def test_a_tag_version_lost_from_the_cache_never_revives_an_older_page():
    from django.core.cache import cache

    from pagecache import versions
    from pagecache.policy import path_tag

    Client().get("/plain/")
    pagecache.invalidate(pages=["/plain/"])
    cache.delete(versions.version_key(path_tag("/plain/")))  # evicted
    assert Client().get("/plain/")["X-Page-Cache"] == "miss"


@pytest.mark.urls("pagecache.tests.urls")
def test_nothing_is_stored_while_the_shared_cache_does_not_answer():
    from unittest import mock

    with (
        mock.patch("pagecache.versions.cache.get_many", return_value={}),
        mock.patch("pagecache.versions.cache.add", return_value=False),
        mock.patch("pagecache.versions.cache.get", side_effect=lambda key, default=None, version=None: default),
    ):
        assert "X-Page-Cache" not in Client().get("/plain/")
    assert Client().get("/plain/")["X-Page-Cache"] == "miss"
    assert Client().get("/plain/")["X-Page-Cache"] == "hit"


def _bumped_by_another_process(*tags):
    """What a change made in another worker writes to the shared cache; this process's own
    memory (copies, remembered versions) is not told."""
    from django.core.cache import cache

    from pagecache import versions

    for tag in tags:
        cache.incr(versions.version_key(tag))
    cache.incr(versions.CHANGES_KEY)


@pytest.mark.urls("pagecache.tests.urls")
@pytest.mark.parametrize("tag", ["path:/plain/", "view:"])
def test_a_tag_bumped_by_another_process_drops_the_page_here_on_the_next_request(tag):
    from pagecache.policy import _policy_for_path

    Client().get("/plain/")
    assert Client().get("/plain/")["X-Page-Cache"] == "hit"  # the versions are now remembered here
    if tag == "view:":
        tag += _policy_for_path("pagecache.tests.urls", "/plain/")[1]
    _bumped_by_another_process(tag)
    assert Client().get("/plain/")["X-Page-Cache"] == "miss"
    assert Client().get("/plain/")["X-Page-Cache"] == "hit"


@pytest.mark.urls("pagecache.tests.urls")
def test_a_tag_recorded_while_rendering_bumped_by_another_process_drops_the_page_here():
    Client().get("/thing-seven/")
    assert Client().get("/thing-seven/")["X-Page-Cache"] == "hit"
    _bumped_by_another_process("thing:7")
    assert Client().get("/thing-seven/")["X-Page-Cache"] == "miss"


@pytest.mark.urls("pagecache.tests.urls")
def test_a_hit_reads_one_key_of_the_shared_cache_while_nothing_changes():
    from unittest import mock

    from django.core.cache import cache

    Client().get("/thing-seven/")
    Client().get("/thing-seven/")
    read = []
    real_get, real_get_many = cache.get, cache.get_many

    def get(key, *args, **kwargs):
        read.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        read.extend(keys)
        return real_get_many(keys, *args, **kwargs)

    with mock.patch.object(cache, "get", get), mock.patch.object(cache, "get_many", get_many):
        assert Client().get("/thing-seven/")["X-Page-Cache"] == "hit"
    assert len(read) == 1


@pytest.mark.urls("pagecache.tests.urls")
def test_remembered_versions_are_not_trusted_while_the_shared_cache_does_not_answer():
    from unittest import mock

    Client().get("/plain/")
    assert Client().get("/plain/")["X-Page-Cache"] == "hit"
    with (
        mock.patch("pagecache.versions.cache.get_many", return_value={}),
        mock.patch("pagecache.versions.cache.add", return_value=False),
        mock.patch("pagecache.versions.cache.get", side_effect=lambda key, default=None, version=None: default),
    ):
        assert "X-Page-Cache" not in Client().get("/plain/")

"""Public article pages: what readers see, what they never see, and what each page costs."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.demo.approvals import record_past_approval
from articles.models import Article
from articles.tests.factories import make_article, make_category, make_clinician
from core.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    """24 published articles over three categories and four clinicians, plus hidden ones."""
    categories = [make_category(name=f"Topic {n}", slug=f"topic-{n}") for n in range(3)]
    clinicians = [make_clinician() for _ in range(4)]
    now = timezone.now()
    articles = [
        make_article(
            title=f"Living with pain, part {n}",
            slug=f"living-{n}",
            category=categories[n % 3],
            author=clinicians[n % 4],
            reviewer=clinicians[(n + 1) % 4],
            reviewed_on=now.date(),
            publish_at=now - timedelta(days=n + 1),
        )
        for n in range(24)
    ]
    draft = make_article(
        title="Draft about nerve blocks",
        slug="draft-nerve-blocks",
        category=categories[0],
        author=clinicians[0],
        status=Article.Status.DRAFT,
    )
    scheduled = make_article(
        title="Scheduled about nerve blocks",
        slug="scheduled-nerve-blocks",
        category=categories[0],
        author=clinicians[0],
        publish_at=now + timedelta(days=2),
    )
    return {
        "categories": categories,
        "clinicians": clinicians,
        "articles": articles,
        "draft": draft,
        "scheduled": scheduled,
    }


def staff_editor(username="editor"):
    user = User.objects.create_user(username, password="a-long-password-1234", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    return user


def public_pages(library):
    category = library["categories"][0]
    clinician = library["clinicians"][0]
    return [
        reverse("articles:home"),
        category.get_absolute_url(),
        clinician.get_absolute_url(),
        reverse("articles:search") + "?q=nerve",
    ]


# --- Visibility ----------------------------------------------------------------------


def test_home_lists_the_newest_published_articles_one_page_at_a_time(client, settings, library):
    response = client.get(reverse("articles:home"))
    page = response.context["page"]
    assert [a.slug for a in page] == [f"living-{n}" for n in range(settings.ARTICLES_PER_PAGE)]
    assert page.has_next
    assert 'rel="next" href="?page=2"' in response.content.decode()


def test_drafts_and_scheduled_articles_are_absent_from_every_public_list(client, library):
    for url in public_pages(library):
        body = client.get(url).content.decode()
        assert "Draft about nerve blocks" not in body, url
        assert "Scheduled about nerve blocks" not in body, url


def test_anonymous_readers_get_404_for_a_draft_or_a_scheduled_article(client, library):
    assert client.get(library["draft"].get_absolute_url()).status_code == 404
    assert client.get(library["scheduled"].get_absolute_url()).status_code == 404


def test_staff_editor_previews_a_draft_with_a_clear_banner(client, library):
    client.force_login(staff_editor())
    response = client.get(library["draft"].get_absolute_url())
    assert response.status_code == 200
    assert "Preview — not published" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]


def test_a_published_article_shows_no_preview_banner_to_staff(client, library):
    client.force_login(staff_editor())
    response = client.get(library["articles"][0].get_absolute_url())
    assert "Preview — not published" not in response.content.decode()


def test_staff_without_change_permission_cannot_preview(client, library):
    client.force_login(User.objects.create_user("clerk", password="a-long-password-1234", is_staff=True))
    assert client.get(library["draft"].get_absolute_url()).status_code == 404


def test_admin_view_on_site_opens_the_draft_preview(client, library):
    """The admin's "View on site" goes through /admin/r/<content type>/<pk>/ to the article's address."""
    client.force_login(staff_editor())
    draft = library["draft"]
    content_type = ContentType.objects.get_for_model(Article)
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, draft.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(draft.get_absolute_url())
    assert "Preview — not published" in response.content.decode()


def test_a_scheduled_article_appears_everywhere_once_its_time_has_passed(client, library):
    scheduled = library["scheduled"]
    later = timezone.now() + timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(scheduled.get_absolute_url()).status_code == 200
        assert "Scheduled about nerve blocks" in client.get(reverse("articles:home")).content.decode()
        assert "Scheduled about nerve blocks" in client.get(scheduled.category.get_absolute_url()).content.decode()
        search = client.get(reverse("articles:search"), {"q": "scheduled"}).content.decode()
        assert "Scheduled about nerve blocks" in search


def test_publishing_a_draft_makes_it_visible(client, library):
    draft = library["draft"]
    draft.status = Article.Status.PUBLISHED
    draft.publish_at = timezone.now() - timedelta(minutes=1)
    draft.save()
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert "Draft about nerve blocks" in client.get(reverse("articles:home")).content.decode()


def test_clinician_page_lists_articles_they_wrote_or_reviewed(client, library):
    clinician = library["clinicians"][1]
    response = client.get(clinician.get_absolute_url())
    slugs = {a.slug for a in response.context["page"]}
    expected = {a.slug for a in library["articles"] if clinician in (a.author, a.reviewer)}
    assert len(expected) == 12  # six written, six reviewed: exactly one page
    assert slugs == expected
    assert clinician.name in response.content.decode()


def test_clinician_page_lists_the_articles_whose_live_text_they_approved_not_those_naming_them(client):
    named, approver = make_clinician(name="Dr Named"), make_clinician(name="Dr Approver")
    article = make_article(title="Knee pain guide", reviewer=named)
    record_past_approval(article=article, clinician=approver, reviewed_on=timezone.localdate())

    assert "Knee pain guide" in client.get(approver.get_absolute_url()).content.decode()
    assert "Knee pain guide" not in client.get(named.get_absolute_url()).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert approver.get_absolute_url() in sitemap and named.get_absolute_url() not in sitemap


# --- The article page ----------------------------------------------------------------


def test_article_page_shows_its_anatomy(client, library):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"medical_disclaimer": "Ask your own clinician before changing treatment."}
    )
    article = library["articles"][0]
    body = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{article.category.get_absolute_url()}"' in body
    assert f"<h1>{article.title}</h1>" in body
    assert article.summary in body
    assert f'href="{article.author.get_absolute_url()}"' in body
    assert f'href="{article.reviewer.get_absolute_url()}"' in body
    assert article.reviewer.credentials in body
    assert "Medically reviewed on" in body
    assert "1 minute read" in body
    assert 'href="#s-first-section"' in body and 'id="s-first-section"' in body
    assert "Ask your own clinician before changing treatment." in body


def test_related_articles_come_from_the_same_category_and_exclude_the_article(client, library):
    article = library["articles"][0]
    related = list(client.get(article.get_absolute_url()).context["related_articles"])
    assert len(related) == 3
    assert all(r.category_id == article.category_id for r in related)
    assert article not in related


def test_related_articles_never_include_drafts(client, library):
    article = library["articles"][0]  # same category as the draft and the scheduled article
    related = list(client.get(article.get_absolute_url()).context["related_articles"])
    assert library["draft"] not in related and library["scheduled"] not in related


def test_community_block_shows_only_when_a_community_link_is_set(client, library):
    article = library["articles"][0]
    assert "Join our community" not in client.get(article.get_absolute_url()).content.decode()
    SiteSettings.objects.update_or_create(pk=1, defaults={"community_url": "https://community.example.org/"})
    body = client.get(article.get_absolute_url()).content.decode()
    assert body.count('href="https://community.example.org/"') == 2  # article block and footer


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<p style="position:fixed">covered</p>',
    ],
)
def test_hostile_markup_in_the_body_never_reaches_the_page(client, hostile):
    article = make_article(slug="hostile", body=f"## Heading\n\n{hostile}\n\nSafe text.")
    body = client.get(article.get_absolute_url()).content.decode()
    prose = body.split('<div class="prose">', 1)[1].split("</div>", 1)[0]
    assert "Safe text." in prose
    for needle in ("<script", "onerror", "javascript:", "style="):
        assert needle not in prose.lower()
    assert "<script>alert" not in body
    assert "onerror" not in body


def test_hero_image_is_eager_and_sized(client):
    from articles.tests.factories import make_image_file

    article = make_article(slug="with-hero", hero_image=make_image_file(), hero_alt="A physiotherapist at work")
    body = client.get(article.get_absolute_url()).content.decode()
    hero = body.split('<figure class="hero">', 1)[1].split("</figure>", 1)[0]
    for attribute in ('loading="eager"', 'fetchpriority="high"', 'decoding="async"', "srcset=", "sizes=", "width="):
        assert attribute in hero
    assert 'alt="A physiotherapist at work"' in hero


# --- Moved articles ------------------------------------------------------------------


def test_an_old_slug_redirects_permanently_to_the_new_address(client, library):
    article = library["articles"][0]
    old_url = article.get_absolute_url()
    article.slug = "living-with-pain-renamed"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/living-with-pain-renamed/"
    assert client.get(response["Location"]).status_code == 200


def test_an_old_slug_of_an_unpublished_article_is_a_404(client, library):
    draft = library["draft"]
    old_url = draft.get_absolute_url()
    draft.slug = "draft-renamed"
    draft.save()
    assert client.get(old_url).status_code == 404


def test_unknown_article_is_a_branded_404(client, library):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Sorry, we cannot find that page" in body
    assert SiteSettings.load().clinic_name in body


# --- Pagination ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "0", "abc", str(10**20), "1.5", "２", "99"])
def test_bad_page_numbers_are_404_never_500(client, library, value):
    for url in (reverse("articles:home"), library["categories"][0].get_absolute_url()):
        assert client.get(url, {"page": value}).status_code == 404, (url, value)
    assert client.get(reverse("articles:search"), {"q": "living", "page": value}).status_code == 404


def test_second_page_continues_where_the_first_stopped(client, settings, library):
    response = client.get(reverse("articles:home"), {"page": "2"})
    slugs = [a.slug for a in response.context["page"]]
    assert slugs == [f"living-{n}" for n in range(settings.ARTICLES_PER_PAGE, 24)]
    assert not response.context["page"].has_next
    assert response.context["canonical_url"].endswith("/?page=2")


def test_category_page_lists_only_its_articles(client, library):
    category = library["categories"][1]
    response = client.get(category.get_absolute_url())
    assert {a.category_id for a in response.context["page"]} == {category.pk}
    assert len(response.context["page"]) == 8


# --- Search --------------------------------------------------------------------------


def test_search_finds_words_in_title_summary_and_body(client):
    make_article(slug="t", title="Knee injection explained", summary="s", body="b")
    make_article(slug="s", title="Other", summary="About an injection for the hip", body="b")
    make_article(slug="b", title="Another", summary="s", body="We explain the injection step by step.")
    make_article(slug="none", title="Walking", summary="s", body="b")
    response = client.get(reverse("articles:search"), {"q": "injection"})
    slugs = [a.slug for a in response.context["page"]]
    assert set(slugs) == {"t", "s", "b"}
    assert slugs[0] == "t"  # a title match ranks first


@pytest.mark.skipif(connection.vendor != "postgresql", reason="word stemming needs PostgreSQL full-text search")
def test_search_on_postgresql_matches_other_forms_of_a_word(client):
    make_article(slug="stem", title="What a nerve block injection feels like", body="b")
    make_article(slug="other", title="Walking", body="b")
    response = client.get(reverse("articles:search"), {"q": "injections"})
    assert [a.slug for a in response.context["page"]] == ["stem"]


def test_search_with_no_query_shows_the_empty_state(client, library):
    response = client.get(reverse("articles:search"))
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Type a word or two" in response.content.decode()


def test_search_without_results_says_so_kindly(client, library):
    body = client.get(reverse("articles:search"), {"q": "zzzqqq"}).content.decode()
    assert "We could not find an article about “zzzqqq”" in body


def test_search_trims_very_long_queries(client, library):
    response = client.get(reverse("articles:search"), {"q": "living " + "x" * 500})
    assert response.status_code == 200
    assert len(response.context["query"]) == 200


@pytest.mark.parametrize(
    "hostile", ["living\x00", "\x00", "%", "_", "'; DROP TABLE articles_article; --", "-", '"', "a & | ! :*"]
)
def test_odd_search_input_is_answered_kindly(client, library, hostile):
    assert client.get(reverse("articles:search"), {"q": hostile}).status_code == 200


def test_search_escapes_the_query_it_shows(client, library):
    body = client.get(reverse("articles:search"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


# --- Query counts --------------------------------------------------------------------


def warm(client, url):
    """The first request fills the site settings and navigation caches."""
    assert client.get(url).status_code == 200


def forget_fragments():
    """As after a change: every kept piece of a page is rendered again on the next request."""
    caches["fragments"].clear()


# Each page type's queries once the site settings and navigation caches are warm: right after a
# change (nothing kept), then while the kept pieces of pages last. None grows with the number of
# articles or comments.
QUERY_COUNTS = [
    # One page of articles (one row more than shown, no COUNT) and the shop widget, which is kept
    # rendered until a product changes.
    pytest.param(lambda library: reverse("articles:home"), {}, 2, 1, id="home"),
    pytest.param(lambda library: reverse("articles:home"), {"page": "2"}, 2, 1, id="home-page-2"),
    # The category, then one page of its articles.
    pytest.param(lambda library: library["categories"][0].get_absolute_url(), {}, 2, 2, id="category"),
    # The article with its category and people, the related articles, the shop widget, and the
    # published comments; none while the article, its text, threads and the widget are kept.
    pytest.param(lambda library: library["articles"][0].get_absolute_url(), {}, 4, 0, id="article"),
    pytest.param(lambda library: library["clinicians"][0].get_absolute_url(), {}, 2, 2, id="clinician"),
    # The search; first, the editors' synonyms, kept until one changes.
    pytest.param(lambda library: reverse("articles:search"), {"q": "living"}, 2, 1, id="search"),
]


@pytest.mark.parametrize(("url", "query", "fresh", "kept"), QUERY_COUNTS)
def test_page_query_count_is_fixed(client, library, django_assert_num_queries, url, query, fresh, kept):
    url = url(library)
    warm(client, url)
    forget_fragments()
    with django_assert_num_queries(fresh):
        response = client.get(url, query)
    assert response.status_code == 200
    with django_assert_num_queries(kept):
        client.get(url, query)


def test_search_page_shows_a_full_page_of_results(client, library):
    response = client.get(reverse("articles:search"), {"q": "living"})
    assert len(response.context["page"]) == 12


# --- Page weight ---------------------------------------------------------------------


def gzip_size(data):
    import gzip

    return len(gzip.compress(data, compresslevel=6))


def page_weight(response):
    """Gzipped bytes of the HTML and of every stylesheet and script it links from /static/."""
    import re

    from django.conf import settings
    from django.contrib.staticfiles import finders

    html = response.content
    total = gzip_size(html)
    for url in re.findall(
        rb'(?:href|src)="(' + re.escape(settings.STATIC_URL.encode()) + rb'[^"]+\.(?:css|js))"', html
    ):
        path = finders.find(url.decode()[len(settings.STATIC_URL) :])
        with open(path, "rb") as handle:
            total += gzip_size(handle.read())
    return total


def test_pages_stay_within_the_15kb_budget(client, library):
    long_article = make_article(
        slug="long-read",
        category=library["categories"][0],
        author=library["clinicians"][0],
        body="\n\n".join(
            f"## Section {n}\n\n" + "Plain words about managing pain day to day. " * 30 for n in range(12)
        ),
    )
    for url in [
        reverse("articles:home"),
        library["categories"][0].get_absolute_url(),
        long_article.get_absolute_url(),
        reverse("articles:search") + "?q=living",
    ]:
        assert page_weight(client.get(url)) <= 15 * 1024, url


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search entries are PostgreSQL's")
def test_search_on_postgresql_follows_an_edit_of_the_title(client):
    article = make_article(slug="edited", title="Ice packs for sore knees", summary="s", body="b")
    article.title = "Heat wraps for stiff knees"
    article.save()

    assert [a.slug for a in client.get(reverse("articles:search"), {"q": "wraps"}).context["page"]] == ["edited"]
    assert list(client.get(reverse("articles:search"), {"q": "ice"}).context["page"]) == []

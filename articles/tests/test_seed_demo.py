"""`manage.py seed_demo` gives a believable clinic, is safe to re-run, and only opens accounts in DEBUG."""

import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from articles.demo.content import ARTICLES
from articles.models import Article, Category, Clinician
from core.models import SiteSettings
from core.richtext import word_count
from tests.support.demo import demo_clinic

pytestmark = pytest.mark.django_db

SEED_PAGE = Path("/work/shared/seed-page.txt")
LOWER_BACK = "interventional-treatments-lower-back-pain"


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _isolated_media(settings, demo_media):
    """Replaces the conftest fixture: every test here sees the one seeded media folder."""
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker, demo_media):
    with demo_clinic(django_db_blocker, demo_media) as output:
        yield output


def counts():
    return {
        "categories": Category.objects.count(),
        "clinicians": Clinician.objects.count(),
        "articles": Article.objects.count(),
        "users": get_user_model().objects.count(),
        "files": sorted(default_storage.listdir("articles")[1]),
        "hero_renditions": sorted(str(a.hero_renditions) for a in Article.objects.all()),
        "updated": sorted(str(a.updated) for a in Article.objects.all()),
    }


def test_running_twice_changes_nothing_and_duplicates_nothing(seeded):
    first = counts()
    output = seed()
    assert counts() == first
    assert "Articles: 0 created" in output


def test_the_command_also_fills_the_shop_window(seeded):
    assert "Shop: 4 demo products created" in seeded
    assert apps.get_model("shop", "Product").objects.count() == 4


def test_the_demo_has_enough_published_articles_categories_and_clinicians(seeded):
    assert Article.objects.published().count() >= 8
    assert Category.objects.count() >= 4
    assert Clinician.objects.count() == 3
    assert all(category.description for category in Category.objects.all())


def test_the_lower_back_article_is_published_in_back_and_spine(seeded):
    article = Article.objects.published().get(slug=LOWER_BACK)
    assert article.category.name == "Back & Spine"
    assert article.reviewer is not None
    assert not article.is_review_overdue


def test_the_lower_back_article_covers_the_conditions_and_treatments():
    body = next(demo for demo in ARTICLES if demo.slug == LOWER_BACK).body.lower()
    for topic in [
        "muscle spasm",
        "sacroiliitis",
        "facet arthropathy",
        "facet hypertrophy",
        "ankylosing spondylitis",
        "degenerative disc disease",
        "herniated disc",
        "stenosis",
        "spondylosis",
        "spondylolisthesis",
        "steroid",
        "trigger point injections",
        "si joint",
        "facet joint injections",
        "medial branch blocks",
        "radiofrequency ablation",
        "epidural steroid injections",
        "stem cell",
        "intrathecal",
        "spinal cord stimulat",
    ]:
        assert topic in body, topic
    assert "stairlift" not in body


def test_demo_articles_are_written_afresh_not_copied_from_the_old_page():
    """No run of eight words from the clinic's old page appears in any demo article."""

    def shingles(text, size=8):
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}

    if not SEED_PAGE.exists():
        pytest.skip("the old page is not on this machine")
    old = shingles(SEED_PAGE.read_text(encoding="utf-8"))
    for demo in ARTICLES:
        copied = shingles(demo.body) & old
        assert not copied, f"{demo.slug} repeats the old page: {sorted(copied)[:3]}"


@pytest.mark.parametrize("demo", ARTICLES, ids=[demo.slug for demo in ARTICLES])
def test_each_article_is_a_real_read_with_headings_lists_and_a_quote(demo):
    body = demo.body
    assert 500 <= word_count(body) <= 1200
    assert re.search(r"^## ", body, re.MULTILINE)
    assert re.search(r"^### ", body, re.MULTILINE)
    assert re.search(r"^- ", body, re.MULTILINE)
    assert re.search(r"^> ", body, re.MULTILINE)


def test_articles_have_authors_reviewers_pictures_and_renditions(seeded):
    for article in Article.objects.select_related("author", "reviewer"):
        assert article.author
        assert article.toc
        assert article.hero, article.slug
        assert len(article.hero.alt) > 20
        assert (article.hero_renditions["width"], article.hero_renditions["height"]) == (1600, 900)
        assert [r["width"] for r in article.hero_renditions["renditions"]] == [480, 800, 1200]
        assert all(default_storage.exists(r["name"]) for r in article.hero_renditions["renditions"])
    reviewed = Article.objects.exclude(reviewer=None)
    assert reviewed.count() > Article.objects.count() / 2
    assert not reviewed.filter(live_approval=None).exists()
    for article in reviewed.select_related("live_approval"):
        assert article.live_approval.clinician_id == article.reviewer_id


def test_editors_see_a_draft_a_scheduled_article_and_an_overdue_review(seeded):
    now = timezone.now()
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    assert Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now).count() == 1
    overdue = Article.objects.published().filter(review_due_on__lt=timezone.localdate())
    assert overdue.count() == 1
    assert not Article.objects.published().filter(publish_at__gt=now).exists()


def test_clinicians_have_credentials_roles_bios_and_abstract_portraits(seeded):
    for clinician in Clinician.objects.all():
        assert clinician.credentials
        assert clinician.role
        assert clinician.bio
        assert clinician.picture
        assert clinician.picture.alt


def test_the_site_settings_describe_a_fictional_clinic(seeded):
    site = SiteSettings.load()
    assert site.clinic_name
    assert site.tagline
    assert site.contact_email.endswith("example.org")
    assert "555" in site.contact_phone
    assert site.address
    assert site.community_url == ""  # staff add the clinic's real group; the community blocks wait for it
    assert site.medical_disclaimer


def test_site_settings_an_editor_changed_survive_a_re_run(seeded):
    site = SiteSettings.load()
    site.contact_phone = "+1 555 0199 000"
    site.save()
    seed()
    assert SiteSettings.load().contact_phone == "+1 555 0199 000"


def test_an_article_an_editor_changed_is_left_alone(seeded):
    Article.objects.filter(slug=LOWER_BACK).update(title="Edited by the clinic")
    seed()
    assert Article.objects.get(slug=LOWER_BACK).title == "Edited by the clinic"


# --- Accounts ---------------------------------------------------------------------------------------------


def test_no_demo_accounts_are_created_when_debug_is_off(settings):
    settings.DEBUG = False
    output = seed()
    assert not get_user_model().objects.exists()
    assert "no demo accounts were created" in output
    assert "Log in at" not in output


def test_with_debug_on_the_demo_accounts_exist_and_are_printed(settings):
    settings.DEBUG = True
    output = seed()
    User = get_user_model()
    admin, editor, moderator = (User.objects.get(username=name) for name in ("admin", "editor", "moderator"))
    assert admin.is_superuser and admin.is_staff
    assert editor.is_staff and not editor.is_superuser
    assert moderator.is_staff and not moderator.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]
    assert f"Log in at http://127.0.0.1:8000/{settings.ADMIN_URL} as" in output
    assert "To try it here: STAFF_REQUIRE_SECOND_FACTOR=1 make run" in output
    for user in (admin, editor, moderator):
        password = re.search(rf"{user.username} / (\S+)", output).group(1)
        assert user.check_password(password)
    assert editor.has_perm("articles.add_article")


def test_every_demo_login_is_printed_together_under_the_address_of_the_running_site(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8001"
    output = seed()
    lines = output.splitlines()
    start = lines.index(f"Log in at http://127.0.0.1:8001/{settings.ADMIN_URL} as:")
    block = lines[start + 1 : start + 5]
    assert [line.split()[0] for line in block] == ["admin", "editor", "moderator", "reviewer"], block
    assert all(line.startswith("  ") for line in block)
    assert "reviewer" in block[3] and "medical reviewer" in block[3]
    assert sum("reviewer-demo-2026" in line for line in lines) == 1
    assert "8000" not in output


def test_the_demo_article_page_goes_over_the_wire_in_at_most_10_kb(seeded):
    from django.test import Client

    url = Article.objects.get(slug=LOWER_BACK).get_absolute_url()
    for encoding in ("gzip", "br"):
        response = Client().get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        assert len(response.content) <= 10 * 1024, (encoding, len(response.content))
    assert len(Client().get(url).content) > 20 * 1024  # what it weighed sent plain


def test_with_debug_on_a_second_run_keeps_the_accounts_as_they_are(settings):
    settings.DEBUG = True
    seed()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("the-editor-chose-this")
    editor.save()
    output = seed()
    assert get_user_model().objects.count() == 4  # admin, editor, moderator and the medical reviewer
    editor.refresh_from_db()
    assert editor.check_password("the-editor-chose-this")
    assert "(unless you have changed it)" in output


# --- Other apps join in -------------------------------------------------------------------------------------


def test_each_apps_demo_is_seeded_in_app_order_after_the_articles(monkeypatch):
    import comments.demo
    import shop.demo
    import topics.demo

    calls = []
    for module in (shop.demo, comments.demo, topics.demo):

        def seeder(stdout, name=module.__name__):
            calls.append((name, Article.objects.count()))
            stdout.write(f"{name} seeded")

        monkeypatch.setattr(module, "seed", seeder)
    output = seed()
    assert calls == [(name, len(ARTICLES)) for name in ("shop.demo", "comments.demo", "topics.demo")]
    assert "comments.demo seeded" in output and "Demo content is ready." in output


def test_a_category_an_editor_made_under_the_same_name_is_reused():
    Category.objects.filter(slug="back-and-spine").update(slug="back-spine")
    Article.objects.filter(slug=LOWER_BACK).delete()
    seed()
    assert Category.objects.filter(name="Back & Spine").count() == 1
    assert Article.objects.get(slug=LOWER_BACK).category.slug == "back-spine"


def test_one_live_article_has_changes_waiting_for_medical_review(seeded):
    from articles.demo import WAITING_NOTE
    from articles.review import ReviewState, medical_review

    waiting = [a for a in Article.objects.published() if medical_review(a).state == ReviewState.IN_REVIEW]
    assert len(waiting) == 1
    review = medical_review(waiting[0])
    assert review.has_unpublished_changes
    assert WAITING_NOTE in review.latest.content["body"]
    assert WAITING_NOTE not in waiting[0].body


def test_with_debug_on_a_medical_reviewer_can_log_in_and_approve(settings):
    from articles.models import Clinician

    settings.DEBUG = True
    output = seed()
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.is_staff and reviewer.has_perm("articles.approve_article")
    assert not reviewer.has_perm("articles.change_article")
    assert Clinician.objects.get(user=reviewer).slug == "amara-okafor"
    assert "reviewer-demo-2026" in output


def test_with_debug_off_there_is_no_reviewer_login(settings):
    settings.DEBUG = False
    seed()
    assert not get_user_model().objects.filter(username="reviewer").exists()

"""Every public page type is valid HTML, as the Nu HTML Checker (vnu.jar, the W3C's checker) reads it.

The pages are rendered with the demo content (comments, a staff reply, topics, products) through
the test client, written to files, and checked in one run of the checker, as Java starts slowly.
`make test` installs vnu.jar from npm (`vnu-jar`) into the git-ignored .cache/node/; without Java
or the jar this test is skipped with the reason, unless REQUIRE_BROWSER=1 (CI), where it fails.
Feeds and the sitemap are XML and are checked by their own tests.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db.models import Count, Q
from django.test import override_settings
from django.urls import reverse

from articles.models import Article, Category, Clinician
from shop.models import Product
from tests.support.demo import demo_clinic

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".cache/node/node_modules/vnu-jar/build/dist/vnu.jar"))
JAVA = shutil.which("java")


def checker_or_skip():
    missing = []
    if not JAVA:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR.relative_to(ROOT) if VNU_JAR.is_relative_to(ROOT) else VNU_JAR} (make html-checker)")
    if missing:
        reason = "the Nu HTML Checker needs " + " and ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def public_pages(client):
    """(name, path, expected status) for one page of every public type, with demo content."""
    article = (
        Article.objects.published()
        .annotate(replies=Count("comments", filter=Q(comments__parent__isnull=False)))
        .filter(replies__gt=0)
        .annotate(threads=Count("comments", filter=Q(comments__parent__isnull=True)))
        .order_by("-threads")
        .first()
    )
    assert article is not None, "the demo content has no article with a reply"
    category = Category.objects.filter(articles__in=Article.objects.published()).first()
    clinician = Clinician.objects.filter(authored_articles__in=Article.objects.published()).first()
    product = Product.objects.active().first()
    pages = [
        ("home", "/", 200),
        ("home-page-2", "/?page=2", 200),
        ("article-with-comments", article.get_absolute_url(), 200),
        ("category", category.get_absolute_url(), 200),
        ("clinician", clinician.get_absolute_url(), 200),
        ("search-results", reverse("articles:search") + "?q=back+pain", 200),
        ("search-no-results", reverse("articles:search") + "?q=zzzqqq", 200),
        ("search-empty", reverse("articles:search"), 200),
        ("shop", reverse("shop:list"), 200),
        ("product", product.get_absolute_url(), 200),
        ("topic-board", reverse("topics:board"), 200),
        ("follow", reverse("follow"), 200),
        ("not-found", "/articles/no-such-article/", 404),
    ]
    # The earlier-comments page, by the link the article page offers when it shows one thread only.
    with override_settings(COMMENTS_THREADS_PER_PAGE=1):
        html = client.get(article.get_absolute_url()).content.decode()
    earlier = re.search(r'href="([^"]*/comments/\?[^"]*)"', html)
    assert earlier, "the article page offers no earlier comments"
    pages.append(("earlier-comments", earlier.group(1).replace("&amp;", "&"), 200))
    # The reply form, opened right under the comment it answers.
    thread = article.comments.filter(status="approved", parent__isnull=True).latest("pk")
    pages.append(("article-reply-form", f"{article.get_absolute_url()}?reply_to={thread.pk}", 200))
    return pages


@pytest.fixture(scope="module")
def html_checker():
    checker_or_skip()
    return VNU_JAR


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def seeded(html_checker, django_db_setup, django_db_blocker, demo_media):
    with demo_clinic(django_db_blocker, demo_media):
        yield


@pytest.fixture
def demo_site(seeded, db, settings, demo_media):
    settings.ARTICLES_PER_PAGE = 3  # so the home page has a second page
    settings.MEDIA_ROOT = demo_media


def run_checker(files):
    completed = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        return json.loads(completed.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(f"the checker gave no JSON (exit {completed.returncode}):\n{completed.stdout}\n{completed.stderr}")


def assert_valid_html(pages, tmp_path):
    """Checks every page in one run of the checker (it starts slowly); pages are (file name, what it is, HTML)."""
    files, names = [], {}
    for file_name, described, content in pages:
        page = tmp_path / f"{file_name}.html"
        page.write_bytes(content)
        files.append(page)
        names[page.name] = described
    messages = run_checker(files)
    assert messages == [], f"{len(messages)} HTML errors:\n{readable(messages, names)}"


def readable(messages, names):
    lines = []
    for message in messages:
        page = names.get(Path(message.get("url", "").removeprefix("file:")).name, message.get("url", "?"))
        lines.append(f"{page}, line {message.get('lastLine', '?')}: {message.get('message')}")
        if message.get("extract"):
            lines.append(f"    {message['extract'].strip()}")
    return "\n".join(lines)


# What each page must show for the check to mean something.
EXPECTED = {
    "article-with-comments": "comment-staff",
    "earlier-comments": '<article class="comment',
    "search-results": "<mark>",
    "home-page-2": 'rel="prev"',
    "article-reply-form": "reply-quote",
}


def test_every_public_page_type_is_valid_html(client, demo_site, recaptcha_keys, tmp_path):
    pages = []
    for name, path, status in public_pages(client):
        with override_settings(COMMENTS_THREADS_PER_PAGE=1 if name == "earlier-comments" else 20):
            response = client.get(path)
        assert response.status_code == status, (name, path)
        assert response["Content-Type"].startswith("text/html"), name
        assert EXPECTED.get(name, "") in response.content.decode(), name
        pages.append((name, f"{name} ({path})", response.content))
    assert_valid_html(pages, tmp_path)


def test_the_pages_a_reader_lands_on_after_sending_something_are_valid_html(client, demo_site, tmp_path):
    """After a comment, a reply, a suggestion and a vote: the held comment in its thread, the
    thanks beside the form, the vote's state beside the topic; after a refusal, the reason beside
    what the reader wrote."""
    from comments.models import Comment
    from topics.models import TopicSuggestion

    article = Article.objects.published().filter(comments_open=True).first()
    thread = article.comments.filter(status="approved", parent__isnull=True).first()
    post_url = reverse("comments:post", kwargs={"slug": article.slug})
    reader = {"name": "Sam", "email": "sam@example.com", "captcha": "", "website": ""}
    landed = {
        "held-comment": client.post(post_url, {**reader, "body": "Walking helps me."}, follow=True),
        "held-reply": client.post(post_url, {**reader, "body": "Which shoes?", "parent": thread.pk}, follow=True),
        "suggestion-thanks": client.post(
            reverse("topics:suggest"),
            {"topic": "Driving with back pain", "next": article.get_absolute_url()},
            follow=True,
        ),
    }
    planned = TopicSuggestion.objects.on_board().filter(status="planned").first()
    landed["vote"] = client.post(reverse("topics:vote", args=[planned.pk]), follow=True)
    # And where something was refused: the reader's words kept beside the reason.
    landed["comment-refused"] = client.post(post_url, {**reader, "body": "", "parent": thread.pk})
    landed["report-refused"] = client.post(reverse("comments:report", args=[thread.pk]), {"text": "Wrong."})
    closed = Article.objects.published().exclude(pk=article.pk).first()
    closed.comments_open = False
    closed.save()
    landed["comment-after-closing"] = client.post(
        reverse("comments:post", kwargs={"slug": closed.slug}), {**reader, "body": "Sent as comments closed."}
    )
    expected = {
        "held-comment": (200, "only you can see this"),
        "held-reply": (200, "only you can see this"),
        "suggestion-thanks": (200, 'id="topic-form-done"'),
        "vote": (200, "You asked for this"),
        "comment-refused": (400, "reply_to="),
        "report-refused": (400, "Wrong."),
        "comment-after-closing": (403, "Sent as comments closed."),
    }
    assert Comment.objects.filter(status="pending").count() >= 2
    for name, response in landed.items():
        status, shown = expected[name]
        assert response.status_code == status, name
        assert shown in response.content.decode(), name
    assert_valid_html([(name, name, response.content) for name, response in landed.items()], tmp_path)


def admin_pages(draft):
    """(role, name, path) for the admin pages staff use, each signed in as the person who uses it
    (the review screen of `draft`, an article sent for medical review)."""
    from django.contrib.contenttypes.models import ContentType

    from comments.models import Comment
    from revisions.models import Revision
    from topics.models import TopicSuggestion

    article = Article.objects.published().first()
    comment = Comment.objects.first()
    suggestion = TopicSuggestion.objects.first()
    product = Product.objects.first()
    assert article and comment and suggestion and product, "the demo content lacks a row the admin pages need"
    revised = (
        Revision.objects.filter(content_type=ContentType.objects.get_for_model(Article))
        .values("object_id")
        .annotate(kept=Count("pk"))
        .filter(kept__gt=1)
        .order_by("object_id")
        .first()
    )
    pages = []
    for role in ("editor", "reviewer", "moderator"):
        pages.append((role, "index", reverse("admin:index")))
    for role in ("editor", "reviewer"):
        pages += [
            (role, "articles", reverse("admin:articles_article_changelist")),
            (role, "article", reverse("admin:articles_article_change", args=[article.pk])),
            (role, "review screen", reverse("admin:articles_article_review", args=[draft.pk])),
            (role, "revisions", reverse("admin:articles_article_revisions", args=[article.pk])),
        ]
    pages += [
        ("editor", "products", reverse("admin:shop_product_changelist")),
        ("editor", "product", reverse("admin:shop_product_change", args=[product.pk])),
        ("editor", "product revisions", reverse("admin:shop_product_revisions", args=[product.pk])),
        ("moderator", "comments", reverse("admin:comments_comment_changelist")),
        ("moderator", "comment", reverse("admin:comments_comment_change", args=[comment.pk])),
        ("moderator", "suggestions", reverse("admin:topics_topicsuggestion_changelist")),
        ("moderator", "suggestion", reverse("admin:topics_topicsuggestion_change", args=[suggestion.pk])),
    ]
    if revised is not None:
        kept = Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=revised["object_id"]
        )
        numbers = list(kept.order_by("number").values_list("number", flat=True))
        url = reverse("admin:articles_article_compare", args=[revised["object_id"]])
        pages.append(("editor", "compare", f"{url}?from={numbers[0]}&to={numbers[1]}"))
    return pages


def test_every_admin_page_staff_use_is_valid_html(client, demo_site, tmp_path):
    from articles.review import review_submit
    from articles.tests.factories import make_article, make_clinician
    from core.groups import EDITORS, MEDICAL_REVIEWERS, MODERATORS
    from tests.support.staff import make_staff

    staff = {
        "editor": make_staff("html-editor", EDITORS),
        "reviewer": make_staff("html-reviewer", MEDICAL_REVIEWERS),
        "moderator": make_staff("html-moderator", MODERATORS),
    }
    # A draft sent for medical review, so its review panel lists a dated decision.
    reviewer = make_clinician(name="Dr Html Reviewer", slug="html-reviewer", user=staff["reviewer"])
    draft = make_article(title="Pacing your day", status=Article.Status.DRAFT, reviewer=reviewer)
    review_submit(article=draft, user=staff["editor"])
    pages = []
    for role, name, path in admin_pages(draft):
        client.force_login(staff[role])
        response = client.get(path)
        assert response.status_code == 200, (role, name, path, response.status_code)
        if name == "review screen":
            assert '<ol class="review-log">' in response.content.decode(), "no decision in the review panel"
        pages.append((f"admin-{role}-{name.replace(' ', '-')}", f"{name} as {role} ({path})", response.content))
    assert_valid_html(pages, tmp_path)

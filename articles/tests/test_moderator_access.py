"""Moderators (front-desk staff) see articles as readers do: no draft text, no revisions, no
previews, no review screens; they keep what their work needs (comments, suggestions, the board)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article, make_clinician
from articles.tests.test_review import NEW_WORD, edit, login, make_user
from core.groups import EDITORS, MEDICAL_REVIEWERS, MODERATORS

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Unannounced nerve block guide"


@pytest.fixture
def articles(django_user_model):
    """A live article with an unpublished change, a draft, and one scheduled for next week."""
    editor = make_user(django_user_model, "eddie", EDITORS)
    reviewer = make_clinician(name="Dr Rita Reyes", user=make_user(django_user_model, "rita", MEDICAL_REVIEWERS))
    live = make_article(
        title="Easing lower back pain", reviewer=reviewer, reviewed_on=date(2026, 1, 10), body="Walking helps."
    )
    edit(login(editor), live, body=f"Walking helps. {NEW_WORD}.")
    draft = make_article(title=DRAFT_TITLE, status=Article.Status.DRAFT, body=f"{NEW_WORD} draft.")
    scheduled = make_article(title=f"{DRAFT_TITLE} (soon)", publish_at=timezone.now() + timedelta(days=7))
    return live, draft, scheduled


def draft_bearing_urls(article):
    name = "admin:articles_article_{}".format
    return [
        reverse(name("history"), args=[article.pk]),
        reverse(name("revisions"), args=[article.pk]),
        reverse(name("compare"), args=[article.pk]) + "?from=1&to=2",
        reverse(name("revert"), args=[article.pk, 1]),
        reverse(name("review"), args=[article.pk]),
        reverse(name("preview"), args=[article.pk]),
    ]


def test_every_draft_bearing_admin_page_is_closed_to_moderators(articles, django_user_model):
    client = login(make_user(django_user_model, "frontdesk", MODERATORS))
    live, draft, scheduled = articles
    for article in (draft, scheduled):
        response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert response.status_code in (302, 403), article.title
    for article in articles:
        for url in draft_bearing_urls(article)[1:] if article is live else draft_bearing_urls(article):
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert NEW_WORD not in response.content.decode(), url


def test_a_moderator_sees_the_live_text_of_a_live_article_never_its_draft(articles, django_user_model):
    client = login(make_user(django_user_model, "frontdesk", MODERATORS))
    live, _draft, _scheduled = articles

    page = client.get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()

    assert "Walking helps." in page and NEW_WORD not in page


def test_the_article_list_and_its_search_show_moderators_only_live_articles(articles, django_user_model):
    client = login(make_user(django_user_model, "frontdesk", MODERATORS))
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Easing lower back pain" in listing and DRAFT_TITLE not in listing
    search = client.get(reverse("admin:articles_article_changelist"), {"q": NEW_WORD}).content.decode()
    assert DRAFT_TITLE not in search and "Easing lower back pain" not in search


def test_moderators_keep_their_queues_and_link_suggestions_to_live_articles(articles, django_user_model):
    client = login(make_user(django_user_model, "frontdesk", MODERATORS))
    for name in ("comments_comment_changelist", "topics_topicsuggestion_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "topics", "model_name": "topicsuggestion", "field_name": "article", "term": ""},
    ).json()["results"]
    assert [result["text"] for result in found] == ["Easing lower back pain"]


def test_editors_still_see_drafts(articles, django_user_model):
    client = login(make_user(django_user_model, "eddie2", EDITORS))
    live, draft, _scheduled = articles
    assert NEW_WORD in client.get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()
    assert client.get(reverse("admin:articles_article_change", args=[draft.pk])).status_code == 200

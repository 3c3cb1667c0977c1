"""Dating past updates keeps every article and dates only those published more than once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.tests.migrating import back_and_ada, guide, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0013_clinician_login_permission")]
AFTER = [("articles", "0014_article_revised_at")]


def test_articles_published_twice_take_their_latest_publication_as_their_update(before_migration):
    apps = before_migration
    shared = back_and_ada(apps)
    Article = apps.get_model("articles", "Article")
    ReviewDecision = apps.get_model("articles", "ReviewDecision")
    Revision = apps.get_model("revisions", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="articles", model="article")
    now = timezone.now()
    articles = []
    for n, publications in enumerate([1, 2, 0]):
        article = guide(
            apps,
            n,
            **shared,
            status="published" if publications else "draft",
            publish_at=now - timedelta(days=30),
        )
        revision = Revision.objects.create(content_type=content_type, object_id=article.pk, number=1, content={})
        for days_ago in range(publications):
            ReviewDecision.objects.create(
                article=article, revision=revision, action="published", created=now - timedelta(days=20 - 10 * days_ago)
            )
        articles.append(article)
    rows = Article.objects.count()

    apps = migrate(AFTER)

    Article = apps.get_model("articles", "Article")
    assert Article.objects.count() == rows
    once, twice, draft = (Article.objects.get(pk=article.pk) for article in articles)
    assert once.revised_at is None and draft.revised_at is None
    assert twice.revised_at == now - timedelta(days=10)

"""Migrations of articles keep every row: approval records keep each article's medical review credit,
and revisions kept before they covered the images in the text get them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.tests.migrating import at_migration, back_and_ada, guide, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0007_remove_article_search_document")]
AFTER = [("articles", "0010_remove_typed_review_date")]


def test_every_typed_review_date_becomes_an_approval_record(before_migration):
    apps = before_migration
    Clinician = apps.get_model("articles", "Clinician")
    Article = apps.get_model("articles", "Article")
    shared = back_and_ada(apps)
    reviewers = [Clinician.objects.create(name=f"Dr Reviewer {n}", slug=f"reviewer-{n}") for n in range(3)]
    now = timezone.now()
    expected = {}
    for n, reviewer in enumerate(reviewers):
        article = guide(
            apps,
            n,
            **shared,
            reviewer=reviewer,
            reviewed_on=date(2025, 1 + n, 10 + n * 9),
            status="draft" if n == 2 else "published",
            publish_at=now - timedelta(days=n),
        )
        expected[article.pk] = (reviewer.pk, article.reviewed_on)
    unreviewed = Article.objects.create(
        title="Unreviewed",
        slug="unreviewed",
        summary="S.",
        body="B.",
        **shared,
        status="published",
        publish_at=now,
    )

    apps = migrate(AFTER)

    Article = apps.get_model("articles", "Article")
    ReviewDecision = apps.get_model("articles", "ReviewDecision")
    Revision = apps.get_model("revisions", "Revision")
    for pk, (reviewer_id, reviewed_on) in expected.items():
        article = Article.objects.select_related("live_approval").get(pk=pk)
        approval = article.live_approval
        assert approval.action == "approved" and approval.article_id == pk
        assert approval.clinician_id == reviewer_id
        assert timezone.localtime(approval.created).date() == reviewed_on
        assert approval.revision.content["title"] == article.title
        assert approval.revision.content["reviewer"] == reviewer_id
        assert article.review_due_on == date(reviewed_on.year + 1, reviewed_on.month, reviewed_on.day)
        assert (article.live_revision_id == approval.revision_id) == (article.status == "published")
    assert not ReviewDecision.objects.filter(article_id=unreviewed.pk).exists()
    assert Article.objects.get(pk=unreviewed.pk).live_approval_id is None
    assert Revision.objects.count() == 3
    assert "reviewed_on" not in {field.name for field in Article._meta.get_fields()}


@pytest.fixture
def before_revisions_kept_images():
    yield from at_migration([("articles", "0011_images_beside_review")])


def test_revisions_kept_before_they_covered_images_get_the_images_and_every_row_is_kept(
    before_revisions_kept_images,
):
    apps = before_revisions_kept_images
    ContentType = apps.get_model("contenttypes", "ContentType")
    Clinician = apps.get_model("articles", "Clinician")
    Article = apps.get_model("articles", "Article")
    ArticleImage = apps.get_model("articles", "ArticleImage")
    ReviewDecision = apps.get_model("articles", "ReviewDecision")
    Revision = apps.get_model("revisions", "Revision")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    product_type, _ = ContentType.objects.get_or_create(app_label="shop", model="product")
    shared = back_and_ada(apps)
    reviewer = Clinician.objects.create(name="Dr Ben Ode", slug="ben-ode")
    now = timezone.now()
    articles = []
    for n in range(3):
        article = guide(
            apps,
            n,
            **shared,
            body_html="<h2>Start</h2><p>Text.</p>",
            reviewer=reviewer,
            status="published",
            publish_at=now - timedelta(days=n),
        )
        articles.append(article)
        for m in range(n):
            ArticleImage.objects.create(
                article=article,
                image=f"articles/figures/guide-{n}-{m}.jpg",
                alt=f"Image {m}",
                caption=f"Caption {m}" if m else "",
                renditions={"source": f"articles/figures/guide-{n}-{m}.jpg", "renditions": []},
            )
        for number in (1, 2):
            content = {"title": article.title, "body": article.body, "seo_title": f"Edit {number}"}
            revision = Revision.objects.create(
                content_type=article_type, object_id=article.pk, number=number, content=content
            )
        ReviewDecision.objects.create(article=article, revision=revision, action="approved", clinician=reviewer)
        Article.objects.filter(pk=article.pk).update(live_revision=revision)
    product_revision = Revision.objects.create(
        content_type=product_type, object_id=articles[2].pk, number=1, content={"name": "Cream"}
    )
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (Article, ArticleImage, ReviewDecision)
    }
    revisions_before = Revision.objects.count()
    contents = dict(Revision.objects.values_list("pk", "content"))

    apps = migrate([("articles", "0012_revisions_keep_images")])

    for label, before in rows.items():
        assert list(apps.get_model(label).objects.order_by("pk").values()) == before
    Revision = apps.get_model("revisions", "Revision")
    assert Revision.objects.count() == revisions_before
    assert Revision.objects.get(pk=product_revision.pk).content == {"name": "Cream"}
    for article in articles:
        n = int(article.slug.rsplit("-", 1)[1])
        for revision in Revision.objects.filter(content_type_id=article_type.pk, object_id=article.pk):
            content = revision.content
            images, renditions = content.pop("images"), content.pop("image_renditions")
            assert content == contents[revision.pk]
            assert images == [
                {
                    "id": image.pk,
                    "image": image.image.name,
                    "alt": image.alt,
                    "caption": image.caption,
                }
                for image in ArticleImage.objects.filter(article_id=article.pk).order_by("created", "id")
            ]
            assert len(images) == n and set(renditions) == {entry["image"] for entry in images}

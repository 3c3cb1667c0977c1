"""Every article's typed review date becomes an approval record of its live text, so no article
loses its "Medically reviewed by … on …" credit; and the Medical reviewers group is set up."""

from datetime import datetime, time

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from core.groups import EDITORS, MEDICAL_REVIEWERS, grant

CONTENT_FIELDS = [
    ("title", False),
    ("slug", False),
    ("category", True),
    ("summary", False),
    ("body", False),
    ("hero_image", False),
    ("hero_alt", False),
    ("author", True),
    ("reviewer", True),
    ("seo_title", False),
    ("seo_description", False),
]
NOTE = "Medical review recorded before approvals were kept in the site."


def _content(article):
    content = {}
    for name, relation in CONTENT_FIELDS:
        value = getattr(article, f"{name}_id" if relation else name)
        content[name] = value.name if name == "hero_image" else value
    return content


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


def dates_to_approvals(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ReviewDecision = apps.get_model("articles", "ReviewDecision")
    Revision = apps.get_model("revisions", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="articles", model="article")
    for article in Article.objects.exclude(reviewed_on=None).order_by("pk"):
        revision = Revision.objects.filter(content_type=content_type, object_id=article.pk).order_by("-number").first()
        if revision is None:
            revision = Revision.objects.create(
                content_type=content_type,
                object_id=article.pk,
                number=1,
                content=_content(article),
                message="Content before revisions were kept",
                created=timezone.now(),
            )
        noon = datetime.combine(article.reviewed_on, time(12))
        approval = ReviewDecision.objects.create(
            article=article,
            revision=revision,
            action="approved",
            clinician_id=article.reviewer_id,
            comment=NOTE,
            created=timezone.make_aware(noon) if settings.USE_TZ else noon,
        )
        Article.objects.filter(pk=article.pk).update(
            live_revision=revision if article.status == "published" else None,
            live_approval=approval,
            review_due_on=_add_months(article.reviewed_on, settings.ARTICLE_REVIEW_MONTHS),
        )


def approvals_to_dates(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.exclude(live_approval=None).select_related("live_approval"):
        created = article.live_approval.created
        day = timezone.localtime(created).date() if timezone.is_aware(created) else created.date()
        Article.objects.filter(pk=article.pk).update(reviewed_on=day)


def set_up_groups(apps, schema_editor):
    grant(
        apps,
        MEDICAL_REVIEWERS,
        "articles",
        {"article": ["view", "approve"], "category": ["view"], "clinician": ["view"]},
    )
    grant(apps, EDITORS, "articles", {"article": ["publish"]})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_review_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(dates_to_approvals, approvals_to_dates),
        migrations.RunPython(set_up_groups, migrations.RunPython.noop),
    ]

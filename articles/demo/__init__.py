"""Demo content for the articles app, used by `manage.py seed_demo`.

Every record is looked up by its slug first, so running the seeder again creates nothing new
and leaves anything an editor has changed in the admin alone.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.demo.approvals import record_past_approval
from articles.demo.content import ARTICLES, CATEGORIES, CLINICIANS
from articles.demo.illustrations import render_jpeg
from articles.models import Article, Category, Clinician, ReviewDecision
from articles.review import article_save_draft
from core.demo import DemoLogin
from core.groups import MEDICAL_REVIEWERS

WAITING_FOR_REVIEW = "interventional-treatments-lower-back-pain"
WAITING_NOTE = (
    "Recovery is usually quick: most people are back to light daily activity within a day or two "
    "of an injection, and your specialist will tell you what suits your treatment."
)
# Readable on purpose: this account exists only on a developer's machine (DEBUG on).
DEMO_REVIEWER = {
    "username": "reviewer",
    "password": "reviewer-demo-2026",
    "email": "reviewer@clinic.example",
    "clinician": "amara-okafor",
}


def seed_categories(stdout):
    """A category an editor already made under the same name is reused, whatever its slug."""
    created = 0
    for fields in CATEGORIES:
        if Category.objects.filter(Q(slug=fields["slug"]) | Q(name=fields["name"])).exists():
            continue
        Category.objects.create(**fields)
        created += 1
    stdout.write(f"Categories: {created} created, {len(CATEGORIES) - created} already there.")


def seed_clinicians(stdout):
    created = 0
    for index, fields in enumerate(CLINICIANS):
        if Clinician.objects.filter(slug=fields["slug"]).exists():
            continue
        clinician = Clinician(
            slug=fields["slug"],
            name=fields["name"],
            credentials=fields["credentials"],
            role=fields["role"],
            bio=fields["bio"],
            photo_alt=f"Abstract illustration for {fields['name']}",
        )
        clinician.photo = ContentFile(
            render_jpeg("portrait", index + 1, fields["palette"]), name=f"{fields['slug']}.jpg"
        )
        clinician.full_clean()
        clinician.save()
        created += 1
    stdout.write(f"Clinicians: {created} created, {len(CLINICIANS) - created} already there.")


def seed_articles(stdout):
    """Create the demo articles that do not exist yet, with their illustrations."""
    now = timezone.now()
    today = timezone.localdate()
    categories = {}
    for category in Category.objects.all():
        categories.setdefault(category.slug, category)
    for fields in CATEGORIES:
        categories.setdefault(fields["slug"], Category.objects.filter(name=fields["name"]).first())
    clinicians = {clinician.slug: clinician for clinician in Clinician.objects.all()}
    existing = set(Article.objects.filter(slug__in=[a.slug for a in ARTICLES]).values_list("slug", flat=True))
    created = 0
    for demo in ARTICLES:
        if demo.slug in existing:
            continue
        article = Article(
            slug=demo.slug,
            title=demo.title,
            category=categories[demo.category],
            summary=demo.summary,
            body=demo.body,
            author=clinicians[demo.author],
            reviewer=clinicians[demo.reviewer] if demo.reviewer else None,
            hero_alt=demo.hero_alt,
            status=Article.Status.DRAFT if demo.published_days_ago is None else Article.Status.PUBLISHED,
            publish_at=now - timedelta(days=demo.published_days_ago or 0),
        )
        article.hero_image = ContentFile(render_jpeg(demo.drawing, demo.seed, demo.palette), name=f"{demo.slug}.jpg")
        article.full_clean()
        article.save()
        if article.reviewer is not None and demo.reviewed_days_ago is not None:
            reviewed_on = today - timedelta(days=demo.reviewed_days_ago)
            record_past_approval(article=article, clinician=article.reviewer, reviewed_on=reviewed_on)
        created += 1
    stdout.write(f"Articles: {created} created, {len(ARTICLES) - created} already there.")


def seed_waiting_review(stdout):
    """One live article with unpublished changes, submitted to its reviewer, for the review screens."""
    article = Article.objects.filter(slug=WAITING_FOR_REVIEW, status=Article.Status.PUBLISHED).first()
    if article is None or article.review_decisions.filter(action=ReviewDecision.Action.SUBMITTED).exists():
        stdout.write("Review queue: nothing to add.")
        return
    draft = Article.objects.get(pk=article.pk)
    draft.summary = draft.summary.replace("may suggest", "may offer")
    draft.body = draft.body.replace("\n\n", "\n\n" + WAITING_NOTE + "\n\n", 1)
    revision = article_save_draft(article=draft, user=None, message="Clearer wording and a note on recovery time.")
    ReviewDecision.objects.create(
        article=article,
        revision=revision,
        action=ReviewDecision.Action.SUBMITTED,
        comment="Please check the new note on recovery time.",
    )
    stdout.write(f"Review queue: “{article.title}” has changes waiting for medical review.")


def logins():
    """A medical reviewer's log-in, linked to a demo clinician: on a developer's machine only
    (`seed_demo` calls this with DEBUG on, and prints it with the others)."""
    if not settings.DEBUG:
        return []
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_REVIEWER["username"], defaults={"is_staff": True, "email": DEMO_REVIEWER["email"]}
    )
    if created:
        user.set_password(DEMO_REVIEWER["password"])
        user.save()
    user.groups.add(Group.objects.get_or_create(name=MEDICAL_REVIEWERS)[0])
    Clinician.objects.filter(slug=DEMO_REVIEWER["clinician"], user=None).update(user=user)
    return [DemoLogin(DEMO_REVIEWER["username"], DEMO_REVIEWER["password"], "medical reviewer", created)]


def seed(stdout):
    """Categories, clinicians and articles, all or nothing."""
    with transaction.atomic():
        seed_categories(stdout)
        seed_clinicians(stdout)
        seed_articles(stdout)
        seed_waiting_review(stdout)

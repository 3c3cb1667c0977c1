"""Build one benchmark database: the demo clinic topped up to N articles, 30 products, and three
articles with 0, 50 and 5,000 approved comments.

Run by bench/run.py as `python bench/build_db.py ARTICLES` with DATABASE_URL (SQLite file or
PostgreSQL database) and DJANGO_MEDIA_ROOT set. The rows are realistic: every article carries a
real rendered body (`body_html`, `toc`, `reading_minutes`) and hero image renditions taken from the
demo articles. Rendering is done once per demo article and reused, and rows go in through
`bulk_create`, so 100,000 articles build in about a minute.
"""

import io
import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")

BATCH = 2000
COMMENT_ARTICLES = {0: "bench-comments-0", 50: "bench-comments-50", 5000: "bench-comments-5000"}
PRODUCTS = 30

# Titles vary like a real archive: a condition and an angle, so a search word matches a share of rows.
CONDITIONS = [
    "Sciatica", "Knee osteoarthritis", "Migraine", "Tension headache", "Neck pain", "Shoulder pain",
    "Hip pain", "Fibromyalgia", "Peripheral neuropathy", "Shingles pain", "Frozen shoulder",
    "Plantar fasciitis", "Tennis elbow", "Carpal tunnel syndrome", "Whiplash", "Spinal stenosis",
    "Disc herniation", "Facet joint pain", "Sacroiliac joint pain", "Complex regional pain syndrome",
    "Trigeminal neuralgia", "Rheumatoid arthritis", "Gout", "Bursitis", "Tendinitis",
    "Pelvic pain", "Jaw pain", "Cluster headache", "Phantom limb pain", "Post-surgical pain",
    "Chronic widespread pain", "Osteoporosis pain", "Muscle spasm", "Piriformis syndrome",
    "Costochondritis", "Endometriosis pain", "Diabetic nerve pain", "Lupus joint pain",
    "Hypermobility", "Restless legs",
]  # fmt: skip
ANGLES = [
    "what helps at home", "questions for your appointment", "when to see a doctor", "exercises to try",
    "sleeping better", "working with the pain", "understanding the scan report", "injections explained",
    "medicines and their side effects", "pacing your day", "a carer's guide", "myths and facts",
    "after the procedure", "talking to your employer", "travel tips", "heat or ice",
    "physiotherapy explained", "what the research says", "living well long term", "a first-visit checklist",
    "flare-up plan", "nutrition and weight", "mood and pain", "in older adults", "in teenagers",
]  # fmt: skip
COMMENT_BODIES = [
    "Thank you for writing this so clearly. I printed it for my mother, who has the same problem.",
    "The part about pacing helped me most. I used to do everything on good days and pay for it later.\n\n"
    "Now I split jobs into smaller pieces and the bad days are fewer.",
    "Is it safe to combine the exercises with the cream my pharmacist recommended?",
    "My physiotherapist said much the same thing. It took a few weeks, but the stretches made a difference.",
    "I was nervous before my first appointment; this made me feel far more prepared. Thank you.",
]
HELD_STATUSES = ["pending", "spam", "pending", "spam", "pending"]
REPLY_BODY = (
    "Thank you for your question. Please ask your own clinician, who knows your history, before "
    "combining treatments; our nurses are also happy to help by phone."
)


def reset_database(url):
    """A fresh, empty database at `url` (SQLite file removed; PostgreSQL database recreated)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(total_articles):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from articles import sqlite_search
    from articles.models import Article
    from comments.models import Comment
    from shop.models import Product
    from submissions.text import render_plain_text

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=io.StringIO())
    templates = list(Article.objects.published().order_by("pk"))
    now = timezone.now()

    def copy_of(instance, **changes):
        """An unsaved copy of a demo row, every stored column as it is (rendered text and image
        renditions included), with `changes`."""
        model = type(instance)
        columns = {field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields}
        columns.pop(model._meta.pk.attname)
        return model(**{**columns, **changes})

    def article_from(template, number, title, slug, **fields):
        return copy_of(
            template,
            title=title[:200],
            slug=slug,
            summary=f"{title}: {template.summary}"[:400],
            status=fields.get("status", Article.Status.PUBLISHED),
            publish_at=fields.get("publish_at", now - timedelta(hours=2, minutes=7 * number)),
            comments_open=True,
        )

    with transaction.atomic():
        # The three comment articles are the newest, so they also sit on the home page.
        comment_articles = {}
        for count, slug in COMMENT_ARTICLES.items():
            template = templates[count % len(templates)]
            article = article_from(
                template, 0, f"{template.title} — {count} comments", slug, publish_at=now - timedelta(minutes=30)
            )
            comment_articles[count] = article
        Article.objects.bulk_create(comment_articles.values())
        comment_articles = {count: Article.objects.get(slug=slug) for count, slug in COMMENT_ARTICLES.items()}

        missing = total_articles - Article.objects.count()
        batch = []
        for number in range(1, missing + 1):
            template = templates[number % len(templates)]
            condition = CONDITIONS[number % len(CONDITIONS)]
            angle = ANGLES[(number // len(CONDITIONS)) % len(ANGLES)]
            title = f"{condition}: {angle}"
            # One in fifty is a draft or scheduled, so the visibility filter has work to do.
            status = Article.Status.DRAFT if number % 50 == 0 else Article.Status.PUBLISHED
            publish_at = now + timedelta(days=number % 30 + 1) if number % 97 == 0 else None
            fields = {"status": status}
            if publish_at:
                fields["publish_at"] = publish_at
            batch.append(article_from(template, number, title, f"{slugify(title)[:180]}-{number}", **fields))
            if len(batch) == BATCH:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)

        # Approved comments (a tenth are clinic replies), plus held ones that must stay hidden.
        rendered = [(body, render_plain_text(body)) for body in COMMENT_BODIES]
        reply_html = render_plain_text(REPLY_BODY)
        for count, article in comment_articles.items():
            parents = [
                Comment(
                    article=article,
                    name=f"Reader {n}",
                    email=f"reader{n}@example.com",
                    body=rendered[n % len(rendered)][0],
                    body_html=rendered[n % len(rendered)][1],
                    status=Comment.Status.APPROVED,
                    moderated_at=now,
                )
                for n in range(count - count // 10)
            ]
            Comment.objects.bulk_create(parents, batch_size=BATCH)
            replies = [
                Comment(
                    article=article,
                    parent=parents[n * 9 % len(parents)],
                    name="The clinic team",
                    email="clinic@example.com",
                    body=REPLY_BODY,
                    body_html=reply_html,
                    is_staff_reply=True,
                    status=Comment.Status.APPROVED,
                    moderated_at=now,
                )
                for n in range(count // 10)
            ]
            held = [
                Comment(
                    article=article,
                    name="Held reader",
                    email="held@example.com",
                    body=body,
                    body_html=html,
                    status=status,
                    hold_reasons=["review_all"],
                )
                for (body, html), status in zip(rendered, HELD_STATUSES, strict=True)
            ]
            Comment.objects.bulk_create(replies + held, batch_size=BATCH)

        # Products: the demo's, then copies of them up to 30 (rendered description reused).
        demo_products = list(Product.objects.order_by("pk"))
        extra = []
        for number in range(len(demo_products), PRODUCTS):
            source = demo_products[number % len(demo_products)]
            extra.append(
                copy_of(
                    source,
                    name=f"{source.name} {number}",
                    slug=f"{source.slug}-{number}",
                    in_stock=number % 7 != 0,
                    featured=False,
                    position=number,
                )
            )
        Product.objects.bulk_create(extra)

    # bulk_create skips Article.save(): fill the stored search documents the way the model does.
    Article.objects.refresh_search_documents()
    sqlite_search.refresh_words()  # nothing on PostgreSQL, whose triggers count the words
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    published = Article.objects.published().count()
    print(f"{Article.objects.count()} articles ({published} live), {Product.objects.count()} products, "
          f"{Comment.objects.count()} comments")  # fmt: skip


if __name__ == "__main__":
    url = os.environ["DATABASE_URL"]
    reset_database(url)
    build(int(sys.argv[1]))

"""Demo comments for `manage.py seed_demo`: a few approved comments with a clinic reply, so
every article page has a conversation to show.

Written for this project; safe to re-run (rows are found by article, email and text).
"""

from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from core.models import SiteSettings

DEMO_COMMENTS = {
    "interventional-treatments-lower-back-pain": [
        (
            "Maria",
            "maria.demo@example.com",
            "I had my first facet joint injection last month. The day itself was easier than I feared, "
            "and the physiotherapy afterwards made the real difference.\n\nIs it normal for the relief to "
            "come on slowly over a week or two?",
            "Thank you for sharing this, Maria. Yes, relief often builds over several days as the "
            "inflammation settles. If it has not helped after a few weeks, mention it at your follow-up "
            "visit so your clinician can review the plan with you.",
        ),
        (
            "Tom",
            "tom.demo@example.com",
            "Clear explanation of the difference between a nerve block and radiofrequency ablation. "
            "I finally understand what my doctor was describing.",
            None,
        ),
    ],
    "keeping-a-headache-diary": [
        (
            "Priya",
            "priya.demo@example.com",
            "I started a diary after reading this and noticed most of my headaches follow short nights. "
            "Small thing, but it gave me something to talk about at my appointment.",
            None,
        ),
    ],
}


# (topic, details, status, votes, slug of the answering article or None)
def seed(stdout):
    articles = {a.slug: a for a in Article.objects.published().filter(slug__in=DEMO_COMMENTS)}
    if not articles:
        # Demo articles under other slugs: comment on the newest published ones instead.
        articles = dict(zip(DEMO_COMMENTS, Article.objects.published()[: len(DEMO_COMMENTS)], strict=False))
    clinic_name = SiteSettings.load().clinic_name
    created = 0
    for slug, article in articles.items():
        for name, email, body, reply in DEMO_COMMENTS[slug]:
            comment, is_new = Comment.objects.get_or_create(
                article=article,
                email=email,
                body=body,
                defaults={"name": name, "status": Comment.Status.APPROVED, "moderated_at": timezone.now()},
            )
            created += is_new
            if reply:
                _reply, is_new = Comment.objects.get_or_create(
                    article=article,
                    parent=comment,
                    is_staff_reply=True,
                    body=reply,
                    defaults={
                        "name": clinic_name,
                        "email": "team@clinic.example",
                        "status": Comment.Status.APPROVED,
                        "moderated_at": timezone.now(),
                    },
                )
                created += is_new
    stdout.write(f"Comments: {created} created, demo comments on {len(articles)} articles.")

"""The people and the article the medical review tests share: Eddie the editor, Rita the medical
reviewer (Dr Rita Reyes to readers) and her live article on lower back pain."""

from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from articles.tests.factories import make_article, make_category, make_clinician
from core.groups import EDITORS, MEDICAL_REVIEWERS, grant

PASSWORD = "a-long-test-password"


def make_user(django_user_model, username, *groups, email=True, password=PASSWORD):
    user = django_user_model.objects.create_user(
        username, f"{username}@clinic.example" if email else "", password, is_staff=True
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def login(user):
    client = Client()
    client.force_login(user)
    return client


def rita_reyes(user=None):
    """The clinician readers see as the article's medical reviewer, linked to `user`'s login."""
    return make_clinician(name="Dr Rita Reyes", slug="rita-reyes", user=user)


def back_pain_article(**fields):
    """'Easing lower back pain', live for three days, its text approved on 10 January 2026 by its
    reviewer; `fields` say what differs."""
    fields.setdefault("title", "Easing lower back pain")
    fields.setdefault("slug", "easing-back-pain")
    if "category" not in fields:
        fields["category"] = make_category(name="Back & Spine", slug="back-spine")
    fields.setdefault("summary", "What helps when your lower back hurts.")
    fields.setdefault("body", "## Moving\n\nGentle walking helps most people.")
    fields.setdefault("reviewed_on", date(2026, 1, 10))
    fields.setdefault("publish_at", timezone.now() - timedelta(days=3))
    return make_article(**fields)


def grant_review_permissions(*more):
    """The review permissions as the data migrations grant them (a transactional test may have flushed
    them); `more` adds (group, {model: actions}) pairs."""
    grant(apps, EDITORS, "articles", {"article": ["add", "change", "view", "publish"], "category": ["view"]})
    grant(apps, EDITORS, "articles", {"clinician": ["view"], "slugredirect": ["add", "change", "delete", "view"]})
    grant(apps, MEDICAL_REVIEWERS, "articles", {"article": ["view", "approve"], "clinician": ["view"]})
    for group, actions in more:
        grant(apps, group, "articles", actions)

"""Fixtures the article tests share."""

import pytest

from articles.tests.people import make_user
from core.groups import EDITORS, MEDICAL_REVIEWERS


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "eddie", EDITORS)


@pytest.fixture
def reviewer(django_user_model):
    return make_user(django_user_model, "rita", MEDICAL_REVIEWERS)

"""Editors teach search the words patients use: "slipped disc" finds the article on herniated discs."""

import pytest
from django.urls import reverse

from articles.models import SearchSynonym
from articles.tests.factories import make_article
from core.groups import EDITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def herniated():
    make_article(title="Herniated disc: what helps", summary="When a disc bulges.", body="Rest, then movement.")
    make_article(title="Knee pain", summary="Stairs and knees.", body="Strength work.")


def titles(client, query):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    return [article.title for article in response.context["page"]]


def test_a_synonym_finds_the_article_that_uses_the_other_words(client, herniated):
    assert titles(client, "slipped disc") == []
    SearchSynonym.objects.create(term="slipped disc", synonyms="herniated disc, bulging disc")
    assert titles(client, "slipped disc") == ["Herniated disc: what helps"]


def test_the_synonym_applies_inside_a_longer_query_and_whatever_the_case(client, herniated):
    SearchSynonym.objects.create(term="Slipped  Disc", synonyms="herniated disc")
    assert titles(client, "SLIPPED disc what helps") == ["Herniated disc: what helps"]


def test_the_readers_own_words_still_count(client, herniated):
    make_article(title="My slipped disc story", body="A patient writes.")
    SearchSynonym.objects.create(term="slipped disc", synonyms="herniated disc")
    assert set(titles(client, "slipped disc")) == {"My slipped disc story", "Herniated disc: what helps"}


def test_a_term_matches_whole_words_only(client, herniated):
    SearchSynonym.objects.create(term="disc", synonyms="knee")
    assert titles(client, "discectomy") == []


def test_editing_or_deleting_a_synonym_applies_at_once(client, herniated):
    synonym = SearchSynonym.objects.create(term="slipped disc", synonyms="herniated disc")
    assert titles(client, "slipped disc") == ["Herniated disc: what helps"]
    synonym.synonyms = "knee pain"
    synonym.save()
    assert titles(client, "slipped disc") == ["Knee pain"]
    synonym.delete()
    assert titles(client, "slipped disc") == []


def test_synonyms_with_search_syntax_are_read_as_words(client, herniated):
    SearchSynonym.objects.create(term="slipped disc", synonyms='"herniated" OR -disc*, (knee')
    assert client.get(reverse("articles:search"), {"q": "slipped disc"}).status_code == 200


def test_synonyms_cost_no_query_once_read(client, herniated, django_assert_num_queries):
    SearchSynonym.objects.create(term="slipped disc", synonyms="herniated disc")
    client.get(reverse("articles:search"), {"q": "slipped disc"})
    with django_assert_num_queries(1):
        client.get(reverse("articles:search"), {"q": "slipped disc"})


def test_editors_manage_synonyms_in_the_admin(client, staff_member):
    client.force_login(staff_member("editor", EDITORS))
    response = client.post(
        reverse("admin:articles_searchsynonym_add"), {"term": " Slipped   DISC ", "synonyms": "herniated disc"}
    )
    assert response.status_code == 302
    synonym = SearchSynonym.objects.get()
    assert synonym.term == "slipped disc"
    assert client.get(reverse("admin:articles_searchsynonym_changelist")).status_code == 200

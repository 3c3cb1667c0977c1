"""The article page costs the same few queries whatever the number of comments."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from comments.models import Comment
from comments.tests.factories import make_comment

pytestmark = pytest.mark.django_db

ARTICLE_PAGE_QUERIES = 4  # article, related articles, shop widget, newest threads with the total
KEPT_ARTICLE_PAGE_QUERIES = 0  # the article, its text, threads and the shop widget are all kept
EARLIER_PAGE_QUERIES = 3  # article, ids of the newer threads, the page's threads


def add_comments(article, count):
    tops = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Reader {n}",
            email=f"r{n}@example.com",
            body=f"Comment {n}",
            status="approved",
            body_html=f"<p>Comment {n}</p>",
        )
        for n in range(count // 2)
    )
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=tops[n % len(tops)],
            name="Clinic",
            email="team@clinic.example",
            body=f"Reply {n}",
            body_html=f"<p>Reply {n}</p>",
            status="approved",
            is_staff_reply=n % 2 == 0,
        )
        for n in range(count - count // 2)
    ) if tops else None


@pytest.mark.parametrize("count", [0, 50, 5000])
def test_the_article_page_query_count_does_not_grow_with_comments(
    client, article, count, django_assert_max_num_queries, django_assert_num_queries
):
    add_comments(article, count)
    make_comment(article, status="pending")
    client.get(article.get_absolute_url())  # warm the site-settings and navigation caches
    caches["fragments"].clear()  # as after a change: everything rendered again

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url())
    with django_assert_num_queries(KEPT_ARTICLE_PAGE_QUERIES):
        kept = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert f"{count:,} comment" in response.content.decode()
    assert f"{count:,} comment" in kept.content.decode()


def test_a_reply_link_to_an_earlier_thread_costs_one_lookup(client, article, django_assert_num_queries):
    add_comments(article, 100)
    oldest = Comment.objects.filter(parent=None).earliest("id")
    client.get(article.get_absolute_url())
    caches["fragments"].clear()

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES + 1):
        response = client.get(f"{article.get_absolute_url()}?reply_to={oldest.pk}")
    # The threads and the replied-to comment are read for this reader; the rest is kept.
    with django_assert_num_queries(2):
        client.get(f"{article.get_absolute_url()}?reply_to={oldest.pk}")

    assert f'name="parent" value="{oldest.pk}"' in response.content.decode()


@pytest.mark.parametrize("count", [50, 5000])
def test_an_earlier_comments_page_costs_the_same_few_queries(client, article, count, django_assert_num_queries):
    add_comments(article, count)
    heads = list(Comment.objects.filter(parent=None).order_by("id").values_list("id", flat=True))
    url = reverse("comments:earlier", kwargs={"slug": article.slug})
    client.get(f"{url}?before={heads[1]}")

    for before in (heads[1], heads[len(heads) // 2], heads[-20]):
        with django_assert_num_queries(EARLIER_PAGE_QUERIES):
            response = client.get(f"{url}?before={before}")
        assert response.status_code == 200

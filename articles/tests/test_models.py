"""Facts about articles that readers and editors rely on: review dates, reading time, addresses, visibility."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, Category, SlugRedirect, add_months
from articles.tests.factories import make_article, make_category, make_clinician, make_image_file

pytestmark = pytest.mark.django_db


# --- Medical review dates --------------------------------------------------------------------------


def test_a_review_falls_due_twelve_months_after_the_last_one():
    article = make_article(reviewer=make_clinician(), reviewed_on=date(2025, 3, 14))
    assert article.review_due_on == date(2026, 3, 14)
    article.refresh_from_db()
    assert article.review_due_on == date(2026, 3, 14)


def test_the_review_interval_follows_the_setting(settings):
    settings.ARTICLE_REVIEW_MONTHS = 6
    article = make_article(reviewer=make_clinician(), reviewed_on=date(2025, 9, 30))
    assert article.review_due_on == date(2026, 3, 30)


def test_a_new_approval_moves_the_due_date_when_it_goes_live():
    from articles.demo.approvals import record_past_approval

    article = make_article(reviewer=make_clinician(), reviewed_on=date(2024, 5, 1))
    record_past_approval(article=article, clinician=article.reviewer, reviewed_on=date(2025, 6, 2))
    article.refresh_from_db()
    assert article.review_due_on == date(2026, 6, 2)
    assert article.reviewed_on == date(2025, 6, 2)


def test_an_article_never_reviewed_has_no_due_date_and_counts_as_overdue():
    article = make_article()
    assert article.review_due_on is None
    assert article.is_review_overdue
    assert list(Article.objects.review_overdue()) == [article]


@pytest.mark.parametrize(
    ("reviewed_on", "months", "due"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),  # across the year end
        (date(2024, 5, 10), 24, date(2026, 5, 10)),
    ],
)
def test_month_arithmetic_clamps_to_the_end_of_shorter_months(reviewed_on, months, due):
    assert add_months(reviewed_on, months) == due


def test_a_review_on_the_last_day_of_february_clamps_in_the_model_too(settings):
    settings.ARTICLE_REVIEW_MONTHS = 1
    article = make_article(reviewer=make_clinician(), reviewed_on=date(2025, 1, 31))
    assert article.review_due_on == date(2025, 2, 28)


def test_review_overdue_lists_only_articles_past_their_due_date():
    reviewer = make_clinician()
    article = make_article(reviewer=reviewer, reviewed_on=date(2025, 3, 14))
    assert list(Article.objects.review_overdue(today=date(2026, 3, 14))) == []
    assert list(Article.objects.review_overdue(today=date(2026, 3, 15))) == [article]


def test_is_review_overdue_compares_with_today():
    today = timezone.localdate()
    reviewer = make_clinician()
    assert make_article(reviewer=reviewer, reviewed_on=today - timedelta(days=400)).is_review_overdue
    assert not make_article(reviewer=reviewer, reviewed_on=today - timedelta(days=30)).is_review_overdue


# --- Reading time ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (5, 1), (200, 1), (201, 2), (1000, 5), (1001, 6)])
def test_reading_minutes_round_up_at_two_hundred_words_a_minute(words, minutes):
    article = make_article(body=" ".join(["word"] * words))
    assert article.reading_minutes == minutes


def test_reading_minutes_update_when_the_body_grows():
    article = make_article(body="short")
    article.body = "word " * 650
    article.save()
    article.refresh_from_db()
    assert article.reading_minutes == 4


# --- Addresses ------------------------------------------------------------------------------------------


def test_changing_the_slug_keeps_the_old_address_as_a_redirect():
    article = make_article(slug="back-pain-basics")
    article.slug = "lower-back-pain-basics"
    article.save()
    redirect = SlugRedirect.objects.get()
    assert (redirect.old_slug, redirect.article) == ("back-pain-basics", article)


def test_every_earlier_slug_keeps_redirecting_to_the_article():
    article = make_article(slug="first")
    for slug in ("second", "third"):
        article.slug = slug
        article.save()
    assert set(article.old_slugs.values_list("old_slug", flat=True)) == {"first", "second"}


def test_going_back_to_an_earlier_slug_removes_its_redirect():
    article = make_article(slug="first")
    article.slug = "second"
    article.save()
    article.slug = "first"
    article.save()
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]


def test_a_new_article_taking_an_old_slug_wins_over_the_redirect():
    moved = make_article(slug="sleep")
    moved.slug = "sleep-and-pain"
    moved.save()
    newcomer = make_article(slug="sleep")
    assert not SlugRedirect.objects.filter(old_slug="sleep").exists()
    assert newcomer.get_absolute_url() != moved.get_absolute_url()


def test_saving_without_a_slug_change_creates_no_redirect():
    article = make_article()
    article.title = "A better title"
    article.save()
    assert not SlugRedirect.objects.exists()


# --- Who can see what -----------------------------------------------------------------------------------


def test_published_excludes_drafts_and_articles_scheduled_for_later():
    now = timezone.now()
    live = make_article(publish_at=now - timedelta(minutes=1))
    make_article(status=Article.Status.DRAFT, publish_at=now - timedelta(days=1))
    make_article(publish_at=now + timedelta(minutes=5))
    make_article(status=Article.Status.DRAFT, publish_at=now + timedelta(days=1))
    assert list(Article.objects.published()) == [live]
    assert live.is_live


def test_a_scheduled_article_appears_once_its_time_has_come():
    article = make_article(publish_at=timezone.now() + timedelta(hours=1))
    assert not Article.objects.published().exists()
    assert not article.is_live
    article.publish_at = timezone.now() - timedelta(seconds=1)
    article.save()
    assert list(Article.objects.published()) == [article]


def test_listing_queries_skip_the_body_but_bring_category_and_author(django_assert_num_queries):
    category = make_category()
    for _ in range(5):
        make_article(category=category)
    with django_assert_num_queries(1):
        titles = [(a.title, a.category.name, a.author.name) for a in Article.objects.published().for_listing()]
    assert len(titles) == 5
    assert "body" in Article.objects.for_listing().first().get_deferred_fields()


# --- What editors must fill in ----------------------------------------------------------------------------


def test_an_image_needs_a_description_for_readers_who_cannot_see_it():
    article = make_article()
    article.hero_image = make_image_file()
    article.hero_alt = "   "
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["hero_alt"] == ["Please describe the image for readers who cannot see it."]


def test_an_image_with_a_description_is_accepted():
    article = make_article()
    article.hero_image = make_image_file()
    article.hero_alt = "Two hands resting on a table"
    article.full_clean()


def test_no_description_is_needed_without_an_image():
    make_article(hero_alt="").full_clean()


def test_naming_a_medical_reviewer_needs_no_typed_date():
    """The review date is the approval's, never typed: naming the reviewer is enough to save."""
    article = make_article()
    article.reviewer = make_clinician()
    article.full_clean()
    assert article.reviewed_on is None


def test_meta_title_and_description_fall_back_to_title_and_summary():
    article = make_article(title="Sleep", summary="Sleeping better.")
    assert (article.meta_title, article.meta_description) == ("Sleep", "Sleeping better.")
    article.seo_title, article.seo_description = "Sleep and pain", "How pain and sleep affect each other."
    assert (article.meta_title, article.meta_description) == ("Sleep and pain", "How pain and sleep affect each other.")


# --- Categories ---------------------------------------------------------------------------------------------


def test_the_navigation_is_cached_and_refreshed_when_a_category_changes(django_assert_num_queries):
    category = make_category(name="Back & Spine", slug="back-and-spine", position=1)
    assert [name for name, _url, _slug in Category.navigation()] == ["Back & Spine"]
    with django_assert_num_queries(0):
        Category.navigation()
    category.name = "Back and Spine"
    category.save()
    assert [name for name, _url, _slug in Category.navigation()] == ["Back and Spine"]

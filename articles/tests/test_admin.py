"""Editors run the articles from the admin; nobody else gets in, and the tools they use work."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article, make_category, make_clinician
from core.groups import EDITORS

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def editor(staff_member):
    return staff_member("eddie", EDITORS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def inline_management_forms(client, url):
    """The hidden inline counters of an admin form, whatever inlines other apps have added."""
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d*)"', page))


def article_form(client, url=None, **overrides):
    """Everything the article add/change form needs, filled in as an editor would."""
    now = timezone.localtime()
    data = {
        **inline_management_forms(client, url or reverse("admin:articles_article_add")),
        "title": "Gentle stretches for a stiff neck",
        "slug": "gentle-stretches-stiff-neck",
        "category": make_category().pk,
        "summary": "Five stretches to try at your desk.",
        "body": "## Before you start\n\nMove slowly.\n\n- Chin tucks\n- Shoulder rolls",
        "author": make_clinician().pk,
        "status": Article.Status.DRAFT,
        "publish_at_0": now.strftime("%Y-%m-%d"),
        "publish_at_1": now.strftime("%H:%M:%S"),
        "comments_open": "on",
    }
    data.update(overrides)
    return data


def run_action(client, action, *articles):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [a.pk for a in articles]}, follow=True
    )


# --- Editors ------------------------------------------------------------------------------------------


def test_an_editor_adds_a_draft_that_the_publish_action_keeps_until_it_is_approved(editor_client):
    response = editor_client.post(reverse("admin:articles_article_add"), article_form(editor_client))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert '<h2 id="s-before-you-start">Before you start</h2>' in article.body_html
    assert not Article.objects.published().exists()

    response = run_action(editor_client, "publish", article)
    assert "0 articles published." in response.content.decode()
    assert "not medically approved yet: Gentle stretches for a stiff neck" in response.content.decode()
    assert not Article.objects.published().exists()

    approve(article)
    response = run_action(editor_client, "publish", article)

    assert "1 article published." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert list(Article.objects.published()) == [article]


def approve(article):
    from articles.demo.approvals import record_past_approval

    record_past_approval(article=article, clinician=article.reviewer or make_clinician(), reviewed_on=date.today())


def test_an_editor_can_open_the_site_settings(editor_client):
    response = editor_client.get(reverse("admin:core_sitesettings_changelist"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("admin:core_sitesettings_change", args=[1])
    assert 'name="clinic_name"' in response.content.decode()


def test_an_editor_cannot_see_or_open_the_user_accounts(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    editor_id = get_user_model().objects.get(username="eddie").pk
    assert editor_client.get(reverse("admin:auth_user_change", args=[editor_id])).status_code == 403
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index
    assert reverse("admin:articles_article_changelist") in index


def test_a_staff_member_outside_the_editors_group_cannot_open_articles(client, django_user_model):
    outsider = django_user_model.objects.create_user("temp", password="a-long-password-here", is_staff=True)
    client.force_login(outsider)
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    url = reverse(CHANGELIST)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


# --- Review and publishing tools -------------------------------------------------------------------------


def test_the_review_overdue_filter_lists_only_overdue_articles(editor_client):
    today = timezone.localdate()
    reviewer = make_clinician()
    make_article(title="Overdue knee guide", reviewer=reviewer, reviewed_on=today - timedelta(days=430))
    make_article(title="Fresh sleep guide", reviewer=reviewer, reviewed_on=today - timedelta(days=20))

    overdue = editor_client.get(reverse(CHANGELIST), {"review": "overdue"}).content.decode()
    current = editor_client.get(reverse(CHANGELIST), {"review": "current"}).content.decode()

    assert "Overdue knee guide" in overdue
    assert "Fresh sleep guide" not in overdue
    assert "Fresh sleep guide" in current
    assert "Overdue knee guide" not in current


def test_the_changelist_shows_when_each_review_is_due(editor_client):
    make_article(title="Knee guide", reviewer=make_clinician(), reviewed_on=date(2025, 1, 31))
    page = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert "Knee guide" in page
    assert "31 Jan 2026" in page


def test_unpublish_moves_articles_back_to_draft(editor_client):
    first, second = make_article(), make_article()
    response = run_action(editor_client, "unpublish", first, second)
    assert "2 articles moved back to draft." in response.content.decode()
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}
    assert not Article.objects.published().exists()


def test_publish_counts_only_articles_that_were_not_published_yet(editor_client):
    draft = make_article(status=Article.Status.DRAFT)
    already = make_article()
    approve(draft)
    response = run_action(editor_client, "publish", draft, already)
    assert "1 article published." in response.content.decode()
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 2


def test_publishing_a_scheduled_draft_keeps_its_future_time(editor_client):
    later = timezone.now() + timedelta(days=3)
    article = make_article(status=Article.Status.DRAFT, publish_at=later)
    approve(article)
    run_action(editor_client, "publish", article)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.publish_at == later
    assert not Article.objects.published().exists()


def test_a_draft_written_weeks_ago_goes_live_as_of_its_publication_not_back_dated(editor_client):
    article = make_article(status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=21))
    approve(article)
    before = timezone.now()
    run_action(editor_client, "publish", article)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.publish_at >= before


def test_changing_the_slug_in_the_admin_lists_the_old_address(editor_client):
    article = make_article(slug="old-address", title="Neck pain", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(
        editor_client,
        url,
        title="Neck pain",
        slug="new-address",
        category=article.category_id,
        author=article.author_id,
    )
    assert editor_client.post(url, data).status_code == 302
    page = editor_client.get(url).content.decode()
    assert "old-address" in page


# --- The editor's page ---------------------------------------------------------------------------------


def test_the_article_form_loads_the_markdown_toolbar_and_its_styles(editor_client):
    page = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert re.search(r'<script src="[^"]*admin/markdown-toolbar\.js"', page)
    assert re.search(r'<link href="[^"]*admin/editor\.css"', page)
    assert "Use the toolbar, or type: ## Heading" in page


def test_the_changelist_costs_the_same_queries_for_five_or_fifty_articles(admin_client, django_assert_num_queries):
    """list_select_related keeps category, author and reviewer out of the per-row queries, and the
    State column reads every row's medical review in two queries, however many drafts are waiting."""
    from articles.review import article_save_draft, review_submit

    editor = get_user_model().objects.create_superuser("chief-editor", "chief@clinic.example", "a-long-password-1")
    category, author, reviewer = make_category(), make_clinician(), make_clinician(user=editor)

    def add(count):
        for n in range(count):
            article = make_article(category=category, author=author, reviewer=reviewer, reviewed_on=date(2025, 5, 1))
            if n % 3 == 1:  # a change of address keeps the approval
                article.slug = f"{article.slug}-moved"
                article_save_draft(article=article, user=editor)
            if n % 3 == 2:  # a medical change waits for review
                article.body += f"\n\nA new paragraph {n}."
                article_save_draft(article=article, user=editor)
                review_submit(article=article, user=editor)

    add(5)
    admin_client.get(reverse(CHANGELIST))  # warm the per-process caches (content types, permissions)
    with django_assert_num_queries(13) as small:
        assert admin_client.get(reverse(CHANGELIST)).status_code == 200
    add(45)
    with django_assert_num_queries(len(small.captured_queries)):
        page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "Live, changes approved" in page
    assert "Live, changes in review" in page


# --- The Markdown toolbar in a real browser ------------------------------------------------------------


@pytest.fixture
def admin_page(live_server, page, django_user_model):
    """The article add form in Chromium, logged in through the admin's own login form."""
    django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-chief-password")
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-chief-password")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}{reverse('admin:articles_article_add')}")
    return page


def select_in_body(page, start, end):
    page.eval_on_selector("#id_body", "(el, [s, e]) => { el.focus(); el.setSelectionRange(s, e); }", [start, end])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_toolbar_offers_labelled_buttons_that_format_the_selection(admin_page, console_errors):
    from axe_playwright_python.sync_playwright import Axe

    page = admin_page
    toolbar = page.get_by_role("toolbar", name="Formatting")
    labels = [button.inner_text() for button in toolbar.get_by_role("button").all()]
    assert labels == ["Heading", "Subheading", "Bold", "Italic", "Bulleted list", "Numbered list", "Link", "Quote"]
    assert toolbar.get_attribute("aria-controls") == "id_body"
    for button in toolbar.get_by_role("button").all():
        assert button.get_attribute("type") == "button"

    page.fill("#id_body", "Rest helps\n\nfirst\nsecond")
    select_in_body(page, 0, 4)
    toolbar.get_by_role("button", name="Bold", exact=True).click()
    assert page.input_value("#id_body").startswith("**Rest** helps")
    toolbar.get_by_role("button", name="Bold", exact=True).click()  # again: the formatting comes off
    assert page.input_value("#id_body").startswith("Rest helps")
    toolbar.get_by_role("button", name="Bold", exact=True).click()
    assert page.input_value("#id_body").startswith("**Rest** helps")

    body = page.input_value("#id_body")
    start = body.index("first")
    select_in_body(page, start, len(body))
    toolbar.get_by_role("button", name="Numbered list", exact=True).click()
    assert page.input_value("#id_body").endswith("\n\n1. first\n2. second")

    select_in_body(page, 0, 0)
    toolbar.get_by_role("button", name="Heading", exact=True).click()
    assert page.input_value("#id_body").startswith("## **Rest** helps")

    page.fill("#id_body", "")
    toolbar.get_by_role("button", name="Link", exact=True).click()
    assert page.input_value("#id_body") == "[link text](https://)"
    page.keyboard.type("our clinic")  # the placeholder text is selected, ready to be typed over
    assert page.input_value("#id_body") == "[our clinic](https://)"

    assert console_errors == []  # nothing tripped the Content Security Policy
    # axe itself sets inline styles while it measures, so it runs after the CSP check.
    result = Axe().run(page, context=".markdown-toolbar")
    assert result.violations_count == 0, result.generate_report()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_toolbar_is_one_tab_stop_with_arrow_keys_between_buttons(admin_page):
    page = admin_page
    page.focus("#id_summary")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Heading"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "Bold"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.textContent") == "Quote"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_body"
    page.keyboard.type("calm")
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+i")
    assert page.input_value("#id_body") == "*calm*"


def body_selection(page):
    return page.eval_on_selector("#id_body", "el => el.value.slice(el.selectionStart, el.selectionEnd)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_button_selects_only_its_placeholder_so_typing_keeps_the_markdown(admin_page, console_errors):
    page = admin_page
    toolbar = page.get_by_role("toolbar", name="Formatting")
    cases = [
        ("Heading", "Heading", "My heading", "## My heading"),
        ("Subheading", "Subheading", "Before you come", "### Before you come"),
        ("Bold", "bold text", "rest", "**rest**"),
        ("Italic", "italic text", "gently", "*gently*"),
        ("Bulleted list", "List item", "first", "- first"),
        ("Numbered list", "List item", "first", "1. first"),
        ("Link", "link text", "text", "[text](https://)"),
        ("Quote", "Quoted text", "It helped", "> It helped"),
    ]
    for label, placeholder, typed, markdown in cases:
        page.fill("#id_body", "")
        toolbar.get_by_role("button", name=label, exact=True).click()
        assert body_selection(page) == placeholder, label
        page.keyboard.type(typed)
        assert page.input_value("#id_body") == markdown, label

    # On a line that already has words, the words stay selected, not the new marker.
    page.fill("#id_body", "Intro\n\nRest helps")
    select_in_body(page, len("Intro\n\n"), len("Intro\n\n"))
    toolbar.get_by_role("button", name="Heading", exact=True).click()
    assert page.input_value("#id_body") == "Intro\n\n## Rest helps"
    assert body_selection(page) == "Rest helps"
    assert console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ctrl_z_undoes_a_toolbar_insertion(admin_page):
    page = admin_page
    toolbar = page.get_by_role("toolbar", name="Formatting")
    page.fill("#id_body", "")
    toolbar.get_by_role("button", name="Bulleted list", exact=True).click()
    page.keyboard.type("first")
    assert page.input_value("#id_body") == "- first"
    page.keyboard.press("Control+z")  # the typing goes first
    assert page.input_value("#id_body") == "- List item"
    page.keyboard.press("Control+z")  # then the list marker and placeholder
    assert page.input_value("#id_body") == ""

    page.fill("#id_body", "Rest helps")
    select_in_body(page, 0, 4)
    toolbar.get_by_role("button", name="Bold", exact=True).click()
    assert page.input_value("#id_body") == "**Rest** helps"
    page.keyboard.press("Control+z")
    assert page.input_value("#id_body") == "Rest helps"

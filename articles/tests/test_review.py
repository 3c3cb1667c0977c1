"""Medical review: drafts of live articles stay private until an approved revision is published,
approvals are bound to what was approved, and every change is kept and can be undone."""

import io
import json
import re
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ReviewDecision
from articles.review import (
    ReviewError,
    ReviewState,
    article_publish,
    article_save_draft,
    medical_review,
    review_approve,
    review_submit,
)
from articles.review_reminders import review_reminders_send
from articles.tests.factories import make_article, make_clinician
from articles.tests.people import back_pain_article, login, make_user, rita_reyes
from core.groups import EDITORS, MEDICAL_REVIEWERS
from core.models import OutgoingEmail
from core.periodic import periodic_jobs_enqueue
from revisions.models import Revision

pytestmark = pytest.mark.django_db

NEW_WORD = "zanzibarine"


@pytest.fixture
def live(reviewer):
    """A live article whose named reviewer is Rita's clinician, approved on 10 January 2026."""
    return back_pain_article(reviewer=rita_reyes(reviewer))


def management_forms(client, url):
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d*)"', page))


def edit(client, article, **changes):
    """Post the article's change form as an editor would, with `changes` on top of what it shows."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    shown = client.get(url).context["adminform"].form.initial
    data = {
        **management_forms(client, url),
        "title": shown["title"],
        "slug": shown["slug"],
        "category": shown["category"],
        "summary": shown["summary"],
        "body": shown["body"],
        "hero_alt": shown.get("hero_alt", ""),
        "author": shown["author"],
        "reviewer": shown.get("reviewer") or "",
        "comments_open": "on" if shown.get("comments_open", True) else "",
        "seo_title": shown.get("seo_title", ""),
        "seo_description": shown.get("seo_description", ""),
        **changes,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return response


def step(client, article, name, **data):
    return client.post(reverse("admin:articles_article_review", args=[article.pk]), {"step": name, **data}, follow=True)


def newest(article):
    return Revision.objects.for_object(article).first()


def approve_newest(reviewer, article, comment="Checked against current guidance."):
    response = step(login(reviewer), article, "approve", revision=newest(article).pk, comment=comment)
    assert "Approved." in response.content.decode(), response.content.decode()


def edited_and_approved(editor, reviewer, article, **changes):
    """An editor's change, submitted and approved by the medical reviewer (not yet published)."""
    edit(login(editor), article, **changes)
    step(login(editor), article, "submit")
    approve_newest(reviewer, article)


def assert_publishing_is_refused(editor, article):
    response = step(login(editor), article, "publish")
    assert "has not been medically approved, so it cannot be published" in response.content.decode()
    assert NEW_WORD not in Article.objects.get(pk=article.pk).body


def structured_data(response):
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S)
    return json.loads(scripts[0])[0]


def public_views(article):
    anonymous = Client()
    page = anonymous.get(article.get_absolute_url())
    return {
        "page": page.content.decode(),
        "cache": page.get("X-Page-Cache"),
        "json_ld": structured_data(page),
        "feed": anonymous.get(reverse("articles:feed")).content.decode(),
        "sitemap": anonymous.get("/sitemap.xml").content.decode(),
        "search": anonymous.get(reverse("articles:search"), {"q": NEW_WORD}).content.decode(),
    }


# --- Drafts of a live article stay private until they are published ------------------------------------


def test_editing_a_live_article_changes_nothing_public_until_the_approved_draft_is_published(
    editor, reviewer, live, page_cache, django_capture_on_commit_callbacks
):
    before = public_views(live)
    assert before["cache"] == "miss"
    assert Client().get(live.get_absolute_url())["X-Page-Cache"] == "hit"
    row_before = Article.objects.values().get(pk=live.pk)

    edit(
        login(editor),
        live,
        title="Easing lower back pain at home",
        slug="easing-back-pain-at-home",
        body=f"## Moving\n\nGentle {NEW_WORD} walking.",
    )

    assert Article.objects.values().get(pk=live.pk) == row_before
    assert Client().get(live.get_absolute_url())["X-Page-Cache"] == "hit"  # the draft did not touch the cache
    during = public_views(live)
    assert NEW_WORD not in during["page"] and "at home" not in during["page"]
    assert during["json_ld"] == before["json_ld"]
    assert during["feed"] == before["feed"] and during["sitemap"] == before["sitemap"]
    assert "at home" not in during["feed"]
    assert f"/articles/{live.slug}/" not in during["search"]
    review = medical_review(live)
    assert review.label == "Live, with unpublished changes" and review.state == ReviewState.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        step(login(editor), live, "submit")
        approve_newest(reviewer, live)
    assert Client().get(live.get_absolute_url())["X-Page-Cache"] == "hit"  # review steps change nothing public
    response = step(login(editor), live, "publish")
    assert "Published. Readers see the new version now." in response.content.decode()

    live.refresh_from_db()
    assert live.slug == "easing-back-pain-at-home"
    after = public_views(live)
    assert after["cache"] == "miss"
    assert Client().get("/articles/easing-back-pain/").status_code == 301
    assert NEW_WORD in after["page"] and "Easing lower back pain at home" in after["page"]
    assert "Easing lower back pain at home" in after["feed"]
    assert "/articles/easing-back-pain/<" in before["sitemap"] and "at-home" not in during["sitemap"]
    assert "/articles/easing-back-pain-at-home/<" in after["sitemap"]
    assert f"/articles/{live.slug}/" in after["search"]
    assert after["json_ld"]["headline"] == "Easing lower back pain at home"
    today = timezone.localdate()
    assert after["json_ld"]["lastReviewed"] == today.isoformat()
    assert before["json_ld"]["lastReviewed"] == "2026-01-10"
    assert after["json_ld"]["reviewedBy"]["name"] == "Dr Rita Reyes"
    assert f'Medically reviewed on <time datetime="{today.isoformat()}">' in after["page"]


def test_the_draft_preview_is_for_staff_only_and_never_cached(editor, live, client):
    edit(login(editor), live, body=f"## Moving\n\nGentle {NEW_WORD} walking.")
    url = reverse("admin:articles_article_preview", args=[live.pk])

    response = login(editor).get(url)

    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert NEW_WORD in response.content.decode()
    assert "Preview of the draft — Live, with unpublished changes." in response.content.decode()
    assert "Not medically reviewed yet" in response.content.decode()
    assert client.get(url).status_code == 302  # to the admin login
    assert NEW_WORD not in Client().get(live.get_absolute_url()).content.decode()


def test_a_draft_preview_says_draft_and_keeps_comments_as_they_will_be(editor):
    draft = make_article(status=Article.Status.DRAFT, comments_open=True)
    page = login(editor).get(reverse("admin:articles_article_preview", args=[draft.pk])).content.decode()
    assert "Preview — not published (Draft)." in page
    assert "Not published yet" in page
    assert "<span>Published <time" not in page
    assert "Comments on this article are closed" not in page
    assert "Readers can comment once the article is published." in page


# --- Approval is bound to what was approved -------------------------------------------------------------


def test_publishing_an_unapproved_draft_is_refused(editor, live):
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    assert_publishing_is_refused(editor, live)


def test_a_medical_change_after_approval_needs_a_new_approval(editor, reviewer, live):
    edited_and_approved(editor, reviewer, live, body="## Moving\n\nGentle walking helps almost everyone.")
    assert medical_review(live).state == ReviewState.APPROVED

    edit(login(editor), live, body=f"## Moving\n\nGentle walking helps almost everyone. {NEW_WORD}.")

    assert medical_review(live).state == ReviewState.DRAFT
    assert_publishing_is_refused(editor, live)


def test_an_address_change_after_approval_keeps_the_approval(editor, reviewer, live):
    edited_and_approved(editor, reviewer, live, body="## Moving\n\nGentle walking helps almost everyone.")
    edit(login(editor), live, slug="easing-lower-back-pain")

    assert medical_review(live).state == ReviewState.APPROVED
    step(login(editor), live, "publish")
    assert Article.objects.get(pk=live.pk).slug == "easing-lower-back-pain"


@pytest.mark.parametrize("name", ["seo_title", "seo_description"])
def test_a_search_engine_text_change_after_approval_needs_a_new_approval(editor, reviewer, live, name):
    """Readers see them as the page title, the description under it in search results and on shares."""
    edited_and_approved(editor, reviewer, live, body="## Moving\n\nGentle walking helps almost everyone.")
    edit(login(editor), live, **{name: "Cures back pain in a day."})

    assert medical_review(live).state == ReviewState.DRAFT
    response = step(login(editor), live, "publish")
    assert "has not been medically approved, so it cannot be published" in response.content.decode()
    assert getattr(Article.objects.get(pk=live.pk), name) == ""


def test_nobody_approves_a_revision_they_wrote(django_user_model, live, settings):
    both = make_user(django_user_model, "dual", EDITORS, MEDICAL_REVIEWERS)
    live.reviewer.user = both
    live.reviewer.save()
    edit(login(both), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(both), live, "submit")

    response = step(login(both), live, "approve", revision=newest(live).pk)

    assert "You wrote changes in this version" in response.content.decode()
    assert medical_review(live).state == ReviewState.IN_REVIEW

    settings.ARTICLES_NO_SELF_APPROVAL = False
    approve_newest(both, live)
    assert medical_review(live).state == ReviewState.APPROVED


def test_only_the_named_reviewer_approves_unless_any_reviewer_may(editor, django_user_model, live, settings):
    other = make_user(django_user_model, "omar", MEDICAL_REVIEWERS)
    omar = make_clinician(name="Dr Omar Obi", user=other)
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")

    response = step(login(other), live, "approve", revision=newest(live).pk)
    assert "Only the article’s named medical reviewer" in response.content.decode()

    settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE = True
    approve_newest(other, live)
    assert medical_review(live).approval.clinician == omar


def test_requesting_changes_needs_a_comment_and_sends_the_draft_back(editor, reviewer, live):
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")
    assert (
        "Please say what needs to change."
        in step(login(reviewer), live, "request_changes", revision=newest(live).pk).content.decode()
    )

    step(login(reviewer), live, "request_changes", revision=newest(live).pk, comment="Please cite the guideline.")

    review = medical_review(live)
    assert review.state == ReviewState.CHANGES_REQUESTED
    assert review.decisions[0].comment == "Please cite the guideline."
    assert review.decisions[0].user == reviewer
    assert review.decisions[0].revision == newest(live)


def test_the_public_credit_comes_from_the_approval_of_the_live_revision(editor, reviewer, live):
    page = Client().get(live.get_absolute_url()).content.decode()
    assert '<time datetime="2026-01-10">10 January 2026</time>' in page
    assert "Dr Rita Reyes" in page

    edit(login(editor), live, reviewer="")  # the named reviewer goes from the draft only
    assert "Dr Rita Reyes" in Client().get(live.get_absolute_url()).content.decode()


def test_reviewers_and_editors_get_emails_after_commit_and_failures_are_only_logged(
    editor, reviewer, live, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    with django_capture_on_commit_callbacks(execute=True):
        step(login(editor), live, "submit", comment="New wording on walking.")
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert mail.outbox[0].subject == "Medical review requested: Easing lower back pain"

    with django_capture_on_commit_callbacks(execute=True):
        step(login(reviewer), live, "request_changes", revision=newest(live).pk, comment="Too strong.")
    assert mail.outbox[-1].to == [editor.email] and "Too strong." in mail.outbox[-1].body

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}, gently.")
    with django_capture_on_commit_callbacks(execute=True):
        response = step(login(editor), live, "submit")
    assert "Submitted for medical review." in response.content.decode()
    assert "Could not send 'Medical review requested" in caplog.text
    waiting = OutgoingEmail.objects.get(status=OutgoingEmail.Status.QUEUED)  # kept for the next attempt
    assert waiting.to == [reviewer.email] and "mail server down" in waiting.last_error


def test_the_change_page_tells_the_state_and_shows_the_review_log(editor, reviewer, live):
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit", comment="Please look at the walking advice.")
    page = login(editor).get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()
    assert "Live, changes in review" in page and "Draft:" not in page
    assert "Submitted for medical review" in page and "Please look at the walking advice." in page
    assert NEW_WORD in page  # the form shows the draft, not the older live text


# --- Scheduling -----------------------------------------------------------------------------------------


def test_a_scheduled_change_goes_live_at_its_time_by_the_workers_scheduler_not_by_a_request(
    editor, reviewer, live, settings
):
    settings.PERIODIC_JOBS = {"publish_scheduled": settings.PERIODIC_JOBS["publish_scheduled"]}
    edited_and_approved(editor, reviewer, live, body=f"## Moving\n\n{NEW_WORD}.")
    later = timezone.localtime() + timedelta(hours=2)
    response = step(
        login(editor),
        live,
        "publish",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M"),
    )
    assert "Scheduled: it goes live on" in response.content.decode()
    assert NEW_WORD not in Client().get(live.get_absolute_url()).content.decode()
    next_change = Article.next_scheduled_publication()
    assert next_change is not None and next_change <= later

    assert periodic_jobs_enqueue() == ["publish_scheduled"]
    assert NEW_WORD not in Client().get(live.get_absolute_url()).content.decode()  # not yet its time

    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2, minutes=1)):
        assert medical_review(Article.objects.get(pk=live.pk)).state != ReviewState.LIVE  # no request did it
        assert periodic_jobs_enqueue() == ["publish_scheduled"]  # the worker's next tick, a new period
    assert NEW_WORD in Client().get(live.get_absolute_url()).content.decode()
    assert medical_review(Article.objects.get(pk=live.pk)).state == ReviewState.LIVE


def test_unpublishing_cancels_a_scheduled_change_so_the_worker_never_puts_the_article_back(
    editor, reviewer, live, settings
):
    settings.PERIODIC_JOBS = {"publish_scheduled": settings.PERIODIC_JOBS["publish_scheduled"]}
    edited_and_approved(editor, reviewer, live, body=f"## Moving\n\n{NEW_WORD}.")
    later = timezone.localtime() + timedelta(hours=2)
    step(login(editor), live, "publish", publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M"))

    changelist = reverse("admin:articles_article_changelist")
    response = login(editor).post(changelist, {"action": "unpublish", "_selected_action": [live.pk]}, follow=True)
    assert "1 article moved back to draft." in response.content.decode()
    assert Article.next_scheduled_publication() is None

    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2, minutes=1)):
        periodic_jobs_enqueue()
    article = Article.objects.get(pk=live.pk)
    assert article.status == Article.Status.DRAFT and NEW_WORD not in article.body
    assert Client().get(live.get_absolute_url()).status_code == 404
    assert "Scheduled" not in medical_review(article).label


def test_the_list_says_scheduled_for_a_future_article_and_fits_in_five_columns(editor):
    later = timezone.now() + timedelta(days=2)
    make_article(title="Coming soon " + "very long words " * 8, publish_at=later)
    page = login(editor).get(reverse("admin:articles_article_changelist")).content.decode()
    assert f"Scheduled for {timezone.localtime(later):%-d %b %Y}" in page
    header = page.split('id="result_list"')[1].split("</thead>")[0]
    assert header.count("<th ") <= 6  # the checkbox and five columns
    assert 'title="Coming soon very long words' in page


def state_column(client):
    """The State column of the article list, by title."""
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page.split('id="result_list"')[1], re.S)
    cells = {}
    for row in rows:
        title = re.search(r'<th class="field-short_title">.*?>([^<]+)</a>', row, re.S)
        state = re.search(r'<td class="field-state">(.*?)</td>', row, re.S)
        if title and state:
            cells[title.group(1)] = state.group(1)
    return cells


def test_the_list_tells_the_same_state_as_the_review_screen(editor, reviewer, live):
    """An approval carried over an address edit, and a scheduled change, read the same in both."""
    edited_and_approved(editor, reviewer, live, body="## Moving\n\nGentle walking helps almost everyone.")
    edit(login(editor), live, slug="easing-lower-back-pain")
    assert medical_review(live).state == ReviewState.APPROVED
    assert state_column(login(editor))["Easing lower back pain"] == "Live, changes approved"

    later = timezone.localtime() + timedelta(hours=2)
    step(login(editor), live, "publish", publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M"))
    review = medical_review(Article.objects.get(pk=live.pk))
    assert review.state == ReviewState.SCHEDULED
    assert state_column(login(editor))["Easing lower back pain"] == review.label


def test_a_step_the_screen_does_not_offer_changes_nothing_and_says_why(editor, reviewer, live):
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")
    decisions = ReviewDecision.objects.count()

    unknown = step(login(editor), live, "delete").content.decode()
    unnamed = step(login(reviewer), live, "approve").content.decode()
    bad_time = step(login(editor), live, "publish", publish_at_0="someday", publish_at_1="soon").content.decode()

    assert "Please use one of the buttons." in unknown
    assert "Please choose the version you reviewed." in unnamed
    assert "Please give a valid date and time, or leave both empty." in bad_time
    assert ReviewDecision.objects.count() == decisions
    assert medical_review(live).state == ReviewState.IN_REVIEW


# --- History, comparison and revert ---------------------------------------------------------------------


def test_revert_restores_an_old_revision_as_a_new_one_and_the_diff_is_escaped(editor, live):
    client = login(editor)
    edit(client, live, body="## Moving\n\nGentle <b>walking</b> helps.")
    edit(client, live, body="## Moving\n\nGentle <b>swimming</b> helps.")
    history = list(Revision.objects.for_object(live).order_by("number"))
    assert [r.number for r in history] == [1, 2, 3]

    compare = client.get(
        reverse("admin:articles_article_compare", args=[live.pk]), {"from": 2, "to": 3}
    ).content.decode()
    assert "<del>walking&lt;/b&gt;</del><ins>swimming&lt;/b&gt;</ins>" in compare or (
        "<del>" in compare and "swimming" in compare and "&lt;b&gt;" in compare
    )
    assert "<b>swimming" not in compare
    assert "Changed: Body" in compare

    response = client.post(reverse("admin:articles_article_revert", args=[live.pk, 2]), follow=True)

    assert "Revision 4 now holds the content of revision 2." in response.content.decode()
    latest = newest(live)
    assert latest.number == 4 and latest.content == history[1].content and latest.reverted_from == history[1]
    assert [r.content for r in Revision.objects.for_object(live).order_by("number")][:3] == [r.content for r in history]
    assert "swimming" not in Article.objects.get(pk=live.pk).body  # the live row is untouched


def test_the_word_diff_marks_words_and_escapes_html():
    from revisions.diff import word_diff

    assert word_diff("take <two> tablets", "take <three> tablets") == (
        "take <del>&lt;two&gt;</del><ins>&lt;three&gt;</ins> tablets"
    )


# --- Permissions ----------------------------------------------------------------------------------------


def test_moderators_see_nothing_of_the_review(moderator, live):
    client = login(moderator)
    for name in ("review", "preview", "revisions"):
        assert client.get(reverse(f"admin:articles_article_{name}", args=[live.pk])).status_code == 403
    assert "Medical review" not in client.get(reverse("admin:index")).content.decode()
    change_page = client.get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()
    assert "Review log" not in change_page and "Review and publish" not in change_page


def test_reviewers_review_but_never_edit_or_publish(reviewer, editor, live):
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")
    client = login(reviewer)
    page = client.get(reverse("admin:articles_article_review", args=[live.pk])).content.decode()
    assert "Approve" in page and "Request changes" in page
    assert ">Publish</button>" not in page
    approve_newest(reviewer, live)
    assert "Only editors can publish" in step(client, live, "publish").content.decode()


# --- The dashboard and the reminders --------------------------------------------------------------------


def test_the_admin_index_lists_reviews_due_and_drafts_waiting(editor, reviewer, live):
    overdue = make_article(title="Knee guide", reviewer=live.reviewer, reviewed_on=date(2020, 1, 1))
    make_article(title="Fresh guide", reviewer=live.reviewer, reviewed_on=timezone.localdate())
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")

    page = login(reviewer).get(reverse("admin:index")).content.decode()

    assert "Waiting for your medical review: 1" in page
    assert reverse("admin:articles_article_review", args=[live.pk]) in page
    assert reverse("admin:articles_article_review", args=[overdue.pk]) in page and "overdue since" in page
    assert "Fresh guide" not in page


def test_the_reminder_command_sends_each_reviewer_their_lists_once_a_day(editor, reviewer, live, django_user_model):
    from django.core.management import call_command

    other = make_user(django_user_model, "omar", MEDICAL_REVIEWERS)
    other_clinician = make_clinician(name="Dr Omar", user=other)
    make_article(title="Knee guide", reviewer=live.reviewer, reviewed_on=date(2020, 1, 1))
    make_article(title="Hip guide", reviewer=other_clinician, reviewed_on=timezone.localdate() - timedelta(days=350))
    make_article(title="Sleep guide", reviewer=other_clinician, reviewed_on=timezone.localdate())
    edit(login(editor), live, body=f"## Moving\n\n{NEW_WORD}.")
    step(login(editor), live, "submit")
    mail.outbox.clear()

    call_command("send_review_reminders", stdout=io.StringIO())
    output = io.StringIO()
    call_command("send_review_reminders", stdout=output)
    assert "0 queued, 2 already sent today" in output.getvalue()

    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert "Easing lower back pain" in by_person[reviewer.email] and "Knee guide" in by_person[reviewer.email]
    assert "Hip guide" not in by_person[reviewer.email]
    assert "Hip guide" in by_person[other.email]
    assert "Sleep guide" not in by_person[other.email] and "Easing" not in by_person[other.email]


def test_a_reviewer_whose_only_work_today_is_an_editors_gets_no_reminder(editor, reviewer, live, django_user_model):
    both = make_user(django_user_model, "dana", EDITORS, MEDICAL_REVIEWERS)
    edited_and_approved(editor, reviewer, live, body=f"## Moving\n\n{NEW_WORD}.")  # ready to publish
    mail.outbox.clear()

    assert review_reminders_send() == (0, 0)

    assert mail.outbox == []
    assert "Approved, ready to publish: 1" in login(both).get(reverse("admin:index")).content.decode()


def test_typo_only_fixes_go_live_unreviewed_only_where_the_reviewer_allowed_it(editor, reviewer, live, settings):
    settings.ARTICLES_ALLOW_MINOR_EDITS = True
    edit(login(editor), live, body="## Moving\n\nGentle walking helps most peolpe.")
    step(login(editor), live, "submit")
    step(login(reviewer), live, "approve", revision=newest(live).pk, allow_minor_edits="on")
    step(login(editor), live, "publish")

    edit(login(editor), live, body="## Moving\n\nGentle walking helps most people.")
    response = step(login(editor), live, "publish")
    assert "Published." in response.content.decode()
    assert Article.objects.get(pk=live.pk).body.endswith("most people.")

    edit(login(editor), live, body="## Moving\n\nGentle running helps most people.")
    assert "cannot be published" in step(login(editor), live, "publish").content.decode()

    settings.ARTICLES_ALLOW_MINOR_EDITS = False
    edit(login(editor), live, body="## Moving\n\nGentle walking helps most poeple.")
    assert "cannot be published" in step(login(editor), live, "publish").content.decode()


def published_allowing_typo_fixes(editor, reviewer, article, body):
    """`body` approved by the article's reviewer, who allows typo-only corrections, and live."""
    article.body = body
    article_save_draft(article=article, user=editor)
    review_submit(article=article, user=editor)
    review_approve(article=article, revision=newest(article), user=reviewer, allow_minor_edits=True)
    article_publish(article=article, user=editor)


@pytest.mark.parametrize(
    ("steps", "says"),
    [
        (("submit",), "In review. It can be published once a medical reviewer approves it."),
        (("submit", "request_changes"), "Changes were requested. Edit the article and submit it again"),
    ],
    ids=["in-review", "changes-requested"],
)
def test_a_typo_fix_sent_for_review_is_published_only_once_approved(editor, reviewer, live, settings, steps, says):
    """Once a reviewer is asked, or has sent it back, their answer counts, not the typo rule."""
    settings.ARTICLES_ALLOW_MINOR_EDITS = True
    published_allowing_typo_fixes(editor, reviewer, live, "## Moving\n\nGentle walking helps most peolpe.")
    edit(login(editor), live, body="## Moving\n\nGentle walking helps most people.")
    for name in steps:
        client = login(editor if name == "submit" else reviewer)
        step(client, live, name, revision=newest(live).pk, comment="Please cite the guideline.")

    screen = login(editor).get(reverse("admin:articles_article_review", args=[live.pk])).content.decode()
    assert says in screen and 'value="publish"' not in screen
    assert says in step(login(editor), live, "publish").content.decode()
    assert Article.objects.get(pk=live.pk).body.endswith("most peolpe.")


@pytest.mark.parametrize(
    ("first_fix", "second_fix"),
    [
        ("Gentle ranking helps most people feel better.", "Gentle running helps most people feel better."),
        ("Gentel walking hepls most people feel better.", "Gentel walkign hepls most poeple feel better."),
    ],
    ids=["letters", "words"],
)
def test_typo_fixes_add_up_against_the_approved_text(editor, reviewer, live, settings, first_fix, second_fix):
    """Two slips each within the limit still need a review once together they change more than it allows."""
    settings.ARTICLES_ALLOW_MINOR_EDITS = True
    published_allowing_typo_fixes(editor, reviewer, live, "## Moving\n\nGentle walking helps most people feel better.")
    edit(login(editor), live, body=f"## Moving\n\n{first_fix}")
    assert "Published." in step(login(editor), live, "publish").content.decode()

    edit(login(editor), live, body=f"## Moving\n\n{second_fix}")
    assert "cannot be published" in step(login(editor), live, "publish").content.decode()
    assert Article.objects.get(pk=live.pk).body.endswith(first_fix)


@pytest.mark.parametrize(
    ("approved_body", "changed_body"),
    [
        ("Take 10mg at night.", "Take 100mg at night."),
        ("Gentle walking helps; bed rest does not.", "Gentle walking helps; bed rest does now."),
        (
            "Read [our guide](https://a.example/p) first.",
            "Read [our guide](https://b.example/p) first.",
        ),
    ],
    ids=["dose", "negation", "link-domain"],
)
def test_a_change_of_dose_negation_or_link_is_never_published_as_a_typo_fix(
    editor, reviewer, live, settings, approved_body, changed_body
):
    """With minor edits allowed by the reviewer and the site, these still need a new review."""
    settings.ARTICLES_ALLOW_MINOR_EDITS = True
    published_allowing_typo_fixes(editor, reviewer, live, approved_body)

    live.body = changed_body
    article_save_draft(article=live, user=editor)
    with pytest.raises(ReviewError, match="has not been medically approved"):
        article_publish(article=live, user=editor)
    assert Article.objects.get(pk=live.pk).body == approved_body

"""Pages of comment threads: the newest on the article page, older ones on pages of earlier comments."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from articles.tests.factories import make_article
from comments.models import Comment
from comments.moderation import comment_reply
from comments.tests.factories import comment_data, make_comment
from comments.threads import comment_url

pytestmark = pytest.mark.django_db

PER_PAGE = 3


@pytest.fixture(autouse=True)
def _small_pages(settings):
    settings.COMMENTS_THREADS_PER_PAGE = PER_PAGE


def make_threads(article, count, *, replies=0):
    """`count` approved threads, oldest first, each with `replies` approved replies."""
    heads = Comment.objects.bulk_create(
        Comment(article=article, name=f"Reader {n}", email=f"r{n}@example.com", body=f"Thread {n}.",
                body_html=f"<p>Thread {n}.</p>", status="approved")
        for n in range(count)
    )  # fmt: skip
    Comment.objects.bulk_create(
        Comment(article=article, parent=head, name="Clinic", email="team@clinic.example", body=f"Reply {r} to {n}.",
                body_html=f"<p>Reply {r} to {n}.</p>", status="approved", is_staff_reply=True)
        for n, head in enumerate(heads)
        for r in range(replies)
    )  # fmt: skip
    return heads


def shown_threads(html):
    """The thread numbers a page shows, in page order."""
    return [int(n) for n in re.findall(r"<p>Thread (\d+)\.</p>", html)]


def link(html, label):
    match = re.search(rf'<a href="([^"]+)"[^>]*>{label}</a>', html)
    return match.group(1).replace("&amp;", "&") if match else None


def earlier_page(article, before):
    return f"{reverse('comments:earlier', kwargs={'slug': article.slug})}?before={before}"


@pytest.mark.parametrize("count", [0, 2, PER_PAGE, PER_PAGE + 1, 10])
def test_the_article_page_shows_the_newest_threads_oldest_first(client, article, count):
    make_threads(article, count, replies=1)

    html = client.get(article.get_absolute_url()).content.decode()

    assert shown_threads(html) == list(range(max(0, count - PER_PAGE), count))
    assert f"{count * 2} comment" in html  # every approved comment counts, shown here or not
    assert (link(html, "Read earlier comments") is not None) == (count > PER_PAGE)
    for n in shown_threads(html):
        assert html.index(f"<p>Thread {n}.</p>") < html.index(f"<p>Reply 0 to {n}.</p>")


def test_the_heading_counts_thousands_readably(client, article, settings):
    make_threads(article, 1000, replies=1)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "2,000 comments" in html


def test_earlier_pages_lead_back_to_the_first_comment_and_forward_to_the_article(client, article):
    make_threads(article, 10, replies=1)
    url = link(client.get(article.get_absolute_url()).content.decode(), "Read earlier comments")
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages.append((url, shown_threads(html)))
        assert 'name="robots" content="noindex, follow"' in html
        assert f'href="{article.get_absolute_url()}"' in html and article.title in html
        url = link(html, "Read earlier comments")

    assert [threads for _url, threads in pages] == [[4, 5, 6], [1, 2, 3], [0]]

    later = [link(client.get(url).content.decode(), "Read later comments") for url, _threads in pages]
    assert later[2] == pages[1][0] and later[1] == pages[0][0]
    assert later[0] == f"{article.get_absolute_url()}#comments"


def test_the_oldest_thread_page_says_there_is_nothing_earlier(client, article):
    heads = make_threads(article, 2)

    html = client.get(earlier_page(article, heads[0].pk)).content.decode()

    assert shown_threads(html) == []
    assert "There are no earlier comments" in html
    assert link(html, "Read earlier comments") is None
    assert link(html, "Read later comments") == f"{article.get_absolute_url()}#comments"


@pytest.mark.parametrize("value", ["", "-1", "0", "abc", "1e3", "1.5", " 1", "\uff19", "0x10", "007", "9" * 19,
                                   str(10**20), "9" * 400, "%00", "1%0d%0a", "1&before=2x"])  # fmt: skip
def test_a_before_value_that_is_not_a_thread_id_is_a_clear_404(client, article, value):
    make_threads(article, 5)

    response = client.get(f"{reverse('comments:earlier', kwargs={'slug': article.slug})}?before={value}")

    assert response.status_code == 404
    assert b"<h1>" in response.content


def test_a_number_that_is_no_thread_goes_to_the_page_with_the_same_threads(client, article):
    heads = make_threads(article, 5)
    heads[3].status = "removed"
    heads[3].save()

    response = client.get(earlier_page(article, heads[3].pk))

    assert response.status_code == 302
    assert response["Location"] == earlier_page(article, heads[4].pk)


@pytest.mark.parametrize("before", ["newest+1", "999999999999"])
def test_a_number_past_the_newest_thread_goes_to_the_article(client, article, before):
    heads = make_threads(article, 5)
    value = heads[-1].pk + 1 if before == "newest+1" else before

    response = client.get(earlier_page(article, value))

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comments"


def test_without_before_the_page_is_the_article_comments(client, article):
    response = client.get(reverse("comments:earlier", kwargs={"slug": article.slug}))

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comments"


def test_drafts_and_unknown_articles_have_no_earlier_comments(client):
    draft = make_article(status="draft")
    heads = make_threads(draft, 5)

    assert client.get(earlier_page(draft, heads[-1].pk)).status_code == 404
    assert client.get(earlier_page(draft, heads[-1].pk).replace(draft.slug, "no-such-article")).status_code == 404


def test_a_renamed_article_keeps_its_earlier_comment_links(client, article):
    heads = make_threads(article, 5)
    old = earlier_page(article, heads[-1].pk)
    article.slug = "back-pain-that-eases"
    article.save()

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == earlier_page(article, heads[-1].pk)


def test_spam_pending_and_removed_comments_are_never_shown_or_counted(client, article):
    heads = make_threads(article, 5)
    hidden = [
        make_comment(article, body="Pending thread.", status="pending"),
        make_comment(article, body="Spam thread.", status="spam"),
        make_comment(article, body="Pending reply.", status="pending", parent=heads[0]),
        make_comment(article, body="Spam reply.", status="spam", parent=heads[4]),
    ]
    orphan_parent = make_comment(article, body="Removed later.", status="approved")
    make_comment(article, body="Reply to a removed comment.", status="approved", parent=orphan_parent)
    orphan_parent.status = "removed"
    orphan_parent.save()

    article_html = client.get(article.get_absolute_url()).content.decode()
    earlier_html = client.get(link(article_html, "Read earlier comments")).content.decode()

    assert shown_threads(article_html) == [2, 3, 4] and shown_threads(earlier_html) == [0, 1]
    assert "5 comments" in article_html
    for html in (article_html, earlier_html):
        for comment in hidden:
            assert comment.body not in html
        assert "Removed later." not in html and "Reply to a removed comment." not in html


def test_reply_links_on_earlier_pages_open_the_form_on_the_article_page(client, article):
    heads = make_threads(article, 5)

    html = client.get(earlier_page(article, heads[2].pk)).content.decode()

    assert f'href="{article.get_absolute_url()}?reply_to={heads[0].pk}#comment-form"' in html
    assert f'href="{article.get_absolute_url()}#comment-form"' in html


def test_the_article_page_prepares_a_reply_to_a_thread_on_an_earlier_page(client, article):
    heads = make_threads(article, 5)

    html = client.get(f"{article.get_absolute_url()}?reply_to={heads[0].pk}").content.decode()

    assert "Reply to Reader 0" in html
    assert f'name="parent" value="{heads[0].pk}"' in html
    assert shown_threads(html) == [2, 3, 4]


def test_a_refused_reply_to_an_old_thread_keeps_saying_whom_it_answers(client, article):
    heads = make_threads(article, 5)

    response = client.post(
        reverse("comments:post", kwargs={"slug": article.slug}), comment_data(email="", parent=heads[0].pk)
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Reply to Reader 0" in html and f'name="parent" value="{heads[0].pk}"' in html


def test_a_reply_to_a_pending_or_foreign_comment_is_not_prepared(client, article):
    make_threads(article, 5)
    pending = make_comment(article, name="Pending Pat", status="pending")
    foreign = make_comment(make_article(), name="Other Olga")

    for target in (pending, foreign):
        html = client.get(f"{article.get_absolute_url()}?reply_to={target.pk}").content.decode()
        assert f"Reply to {target.name}" not in html and "Leave a comment" in html


def test_closed_comments_show_every_page_without_reply_links(client):
    closed = make_article(comments_open=False)
    heads = make_threads(closed, 5)

    for url in (closed.get_absolute_url(), earlier_page(closed, heads[2].pk)):
        html = client.get(url).content.decode()
        assert shown_threads(html)
        assert "reply_to=" not in html and "#comment-form" not in html


@pytest.fixture
def published_at_once(settings, recaptcha_keys):
    settings.SUBMISSIONS_AUTO_APPROVE = True


def test_an_approved_new_comment_lands_on_the_article_page_at_its_place(client, article, published_at_once):
    make_threads(article, 5)

    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(body="New thread."))

    comment = Comment.objects.latest("id")
    assert comment.status == "approved"
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert f'id="comment-{comment.pk}"' in client.get(response["Location"]).content.decode()


def test_an_approved_reply_to_an_old_thread_lands_on_the_page_that_shows_it(client, article, published_at_once):
    heads = make_threads(article, 10)

    response = client.post(
        reverse("comments:post", kwargs={"slug": article.slug}), comment_data(body="Late answer.", parent=heads[1].pk)
    )

    reply = Comment.objects.latest("id")
    assert reply.parent_id == heads[1].pk and reply.status == "approved"
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{reply.pk}")
    page = client.get(response["Location"].split("#")[0])
    html = page.content.decode()
    assert shown_threads(html)[0] == 1  # the thread opens the page
    assert f'id="comment-{reply.pk}"' in html and "Late answer." in html
    assert "Your comment is published" in html


def test_a_held_reply_to_an_old_thread_is_shown_to_its_author_under_that_thread(client, article):
    heads = make_threads(article, 10)

    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}), comment_data(parent=heads[1].pk))

    reply = Comment.objects.get(parent=heads[1])
    url, anchor = response["Location"].split("#")
    assert anchor == f"comment-{reply.pk}"
    assert "?before=" in url
    html = client.get(url).content.decode()
    assert f'id="comment-{reply.pk}"' in html
    assert "Awaiting moderation — only you can see this." in html


def test_the_clinic_reply_email_links_to_the_page_that_shows_the_thread(
    client, article, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import User

    heads = make_threads(article, 10)
    Comment.objects.filter(pk=heads[2].pk).update(notify_me=True)
    moderator = User.objects.create_user("frontdesk", is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_reply(comment=Comment.objects.get(pk=heads[2].pk), body="We are glad it helps.", by=moderator)

    [message] = mail.outbox
    link = re.search(r"(/comments/link/\d+/)", message.body).group(1)
    assert link == heads[2].get_absolute_url()
    response = client.get(link)
    assert response.status_code == 302
    url, anchor = response["Location"].split("#")
    assert anchor == f"comment-{heads[2].pk}"
    assert reverse("comments:earlier", kwargs={"slug": article.slug}) in url
    html = client.get(url).content.decode()
    assert f'id="comment-{heads[2].pk}"' in html and f'id="comment-{reply.pk}"' in html


def test_an_emailed_link_still_finds_the_comment_after_newer_threads_push_it_back(client, article):
    first = make_threads(article, 1)[0]
    link = first.get_absolute_url()
    assert client.get(link)["Location"] == f"{article.get_absolute_url()}#comment-{first.pk}"

    make_threads(article, 25)

    url, anchor = client.get(link)["Location"].split("#")
    assert reverse("comments:earlier", kwargs={"slug": article.slug}) in url
    assert f'id="{anchor}"' in client.get(url).content.decode()


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_the_link_of_a_comment_that_is_not_public_leads_nowhere(client, article, status):
    comment = make_comment(article, status=status)
    assert client.get(comment.get_absolute_url()).status_code == 404


def test_the_link_of_a_comment_under_an_unpublished_article_leads_nowhere(client, article):
    comment = make_threads(article, 1)[0]
    type(article).objects.filter(pk=article.pk).update(status="draft")
    assert client.get(comment.get_absolute_url()).status_code == 404


def test_every_comment_links_to_a_page_that_shows_it(client, article):
    heads = make_threads(article, 8, replies=1)

    for comment in Comment.objects.filter(article=article):
        page, anchor = client.get(comment.get_absolute_url())["Location"].split("#")
        assert anchor == f"comment-{comment.pk}"
        assert f'id="{anchor}"' in client.get(page).content.decode(), comment
    assert comment_url(heads[-1]) == f"{article.get_absolute_url()}#comment-{heads[-1].pk}"


def test_view_on_site_in_the_admin_opens_the_page_that_shows_the_comment(admin_client, article):
    heads = make_threads(article, 8)
    content_type = ContentType.objects.get_for_model(Comment)

    response = admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, heads[0].pk]))

    assert response.status_code == 302
    assert response["Location"].endswith(heads[0].get_absolute_url())


def test_earlier_pages_are_cached_and_refreshed_when_a_comment_is_published(client, article, settings):
    settings.PAGE_CACHE_SECONDS = 600
    heads = make_threads(article, 8)
    url = earlier_page(article, heads[5].pk)

    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    make_comment(article, parent=heads[3], body="A fresh answer.")

    response = client.get(url)
    assert "A fresh answer." in response.content.decode() and response["X-Page-Cache"] == "miss"


def test_an_earlier_comments_page_at_an_old_slug_moves_with_its_article(client, article):
    heads = make_threads(article, 8)
    old_url = earlier_page(article, heads[5].pk)
    article.slug = "easing-lower-back-pain"
    article.save()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == earlier_page(article, heads[5].pk)
    assert f'id="comment-{heads[4].pk}"' in client.get(response["Location"]).content.decode()


def test_an_earlier_comments_page_of_an_unknown_article_is_not_found(client, article):
    assert client.get("/articles/no-such-article/comments/?before=1").status_code == 404

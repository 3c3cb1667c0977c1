"""In Chromium, the nastiest stored payloads run nothing: no dialog, no console error, and no script
element beyond those the page's own templates put there (compared with the same page holding
harmless content)."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from articles.tests.factories import make_article
from comments.models import Comment
from tests.hostile.corpus import SCRIPT_CASES
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One of each vector as typed, plus the ones wrapped in a sentence (links, breakouts, mixed case).
NASTY = [case.text for case in SCRIPT_CASES if case.id.endswith(("-plain", "-upper"))]
SCRIPTS = """() => Array.from(document.querySelectorAll('script, iframe, object, embed, base')).map(
  (el) => `${el.tagName} src=${el.getAttribute('src') || ''} nonce=${el.nonce ? 'ours' : 'none'}`
).sort()"""
HANDLERS = """() => Array.from(document.querySelectorAll('*')).flatMap(
  (el) => Array.from(el.attributes).filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`)
)"""


def watch(page):
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs


def elements(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # give a timer- or event-based payload its chance
    return page.evaluate(SCRIPTS), page.evaluate(HANDLERS)


def test_stored_payloads_run_nothing_in_a_real_browser(live_server, page, console_errors, settings):
    settings.SUBMISSIONS_RATE_LIMIT = 10**9
    dialogs = watch(page)
    harmless = make_article(title="Moving gently", slug="moving-gently", body="## Start\n\nWalk a little each day.")
    Comment.objects.create(article=harmless, name="Ana", email="ana@example.com", body="Thank you.", status="approved")
    TopicSuggestion.objects.create(topic="Sleeping with sciatica", status=TopicSuggestion.Status.PLANNED)
    TopicSuggestion.objects.create(topic="Desk posture", status=TopicSuggestion.Status.PUBLISHED, article=harmless)
    pages = {
        "article": harmless.get_absolute_url(),
        "search": reverse("articles:search") + "?q=walk",
        "topics": reverse("topics:board"),
        "home": reverse("articles:home"),
    }
    baseline = {name: elements(page, live_server.url + path) for name, path in pages.items()}
    assert baseline["article"][0], "the page's own scripts are seen, so an extra one would be too"

    hostile = make_article(
        title=NASTY[0][:200],
        slug="hostile-body",
        summary=NASTY[3],
        body="\n\n".join(NASTY),
        category=harmless.category,
        author=harmless.author,
    )
    for text in NASTY:
        Comment.objects.create(article=hostile, name=text[:80], email="eve@example.com", body=text, status="approved")
    TopicSuggestion.objects.all().delete()
    for number, text in enumerate(NASTY[:40]):
        status = TopicSuggestion.Status.PLANNED if number % 2 else TopicSuggestion.Status.PUBLISHED
        TopicSuggestion.objects.create(topic=text[:120], status=status, article=hostile)

    checks = {
        "article": hostile.get_absolute_url(),
        "search": reverse("articles:search") + "?q=" + quote(NASTY[7]),
        "topics": reverse("topics:board"),
        "home": reverse("articles:home"),
    }
    for name, path in checks.items():
        scripts, handlers = elements(page, live_server.url + path)
        assert scripts == baseline[name][0], f"{name}: {scripts} != {baseline[name][0]}"
        assert handlers == [], f"{name}: {handlers}"
    for text in NASTY[::6]:
        scripts, handlers = elements(page, live_server.url + reverse("articles:search") + "?q=" + quote(text))
        assert scripts == baseline["search"][0] and handlers == [], text

    assert dialogs == []
    assert console_errors == []

"""In a real browser, no page of the site or the admin trips the Content Security Policy."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.tests.factories import make_article, make_clinician, make_image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__cspViolations")
    return response, violations


def test_no_csp_violation_on_public_pages_or_in_the_admin(live_server, page, console_errors):
    author = make_clinician(name="Dr Ada Lin", slug="ada-lin")
    article = make_article(
        title="Moving with back pain",
        author=author,
        hero_image=make_image_file("hero.jpg"),
        hero_alt="A calm illustration of a spine",
    )
    User.objects.create_superuser("chief", password="a long admin password")
    page.add_init_script(WATCH_VIOLATIONS)

    public = [
        "/",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=back",
        reverse("shop:list"),
        "/no-such-page/",
    ]
    for path in public:
        _response, violations = visit(page, live_server.url + path)
        assert violations == [], f"{path}: {violations}"

    visit(page, live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long admin password")
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    for path in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
    ]:
        response, violations = visit(page, live_server.url + path)
        assert response.status == 200, path
        assert violations == [], f"{path}: {violations}"

    csp_errors = [error for error in console_errors if "Content Security Policy" in error]
    assert csp_errors == []

"""Which login belongs to a clinician decides who may approve and whose name is credited, so only
people trusted with it (administrators) may set it; editors see it but cannot change it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from articles.models import Clinician
from articles.tests.factories import make_clinician
from articles.tests.test_review import login, make_user
from core.groups import EDITORS, MEDICAL_REVIEWERS, MODERATORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician(django_user_model):
    return make_clinician(name="Dr Rita Reyes", slug="rita-reyes")


@pytest.fixture
def rita(django_user_model):
    return make_user(django_user_model, "rita", MEDICAL_REVIEWERS)


def clinician_form(clinician, **changes):
    fields = ("name", "slug", "credentials", "role", "bio", "email", "photo_alt")
    return {**{name: getattr(clinician, name) for name in fields}, **changes}


def change_url(clinician):
    return reverse("admin:articles_clinician_change", args=[clinician.pk])


def test_an_editor_sees_the_login_read_only(django_user_model, clinician, rita):
    clinician.user = rita
    clinician.save()
    page = login(make_user(django_user_model, "eddie", EDITORS)).get(change_url(clinician)).content.decode()
    assert 'name="user"' not in page
    assert "rita" in page


def test_a_forged_post_from_an_editor_cannot_link_or_unlink_a_login(django_user_model, clinician, rita):
    editor = login(make_user(django_user_model, "eddie", EDITORS))

    response = editor.post(change_url(clinician), clinician_form(clinician, user=rita.pk, role="Pain doctor"))
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.role == "Pain doctor"  # the rest of the form is saved
    assert clinician.user is None

    Clinician.objects.filter(pk=clinician.pk).update(user=rita)
    editor.post(change_url(clinician), clinician_form(clinician, user=""))
    assert Clinician.objects.get(pk=clinician.pk).user == rita


def test_a_forged_add_from_an_editor_cannot_link_a_login(django_user_model, rita):
    editor = login(make_user(django_user_model, "eddie", EDITORS))
    data = {"name": "Dr New", "slug": "dr-new", "user": rita.pk}
    assert editor.post(reverse("admin:articles_clinician_add"), data).status_code == 302
    assert Clinician.objects.get(slug="dr-new").user is None


def test_the_link_permission_lets_its_holder_set_the_login(django_user_model, clinician, rita):
    trusted = make_user(django_user_model, "office-lead", EDITORS)
    trusted.user_permissions.add(Permission.objects.get(codename="link_clinician_login"))

    response = login(trusted).post(change_url(clinician), clinician_form(clinician, user=rita.pk))

    assert response.status_code == 302
    assert Clinician.objects.get(pk=clinician.pk).user == rita


def test_a_superuser_sets_the_login(admin_client, clinician, rita):
    assert 'name="user"' in admin_client.get(change_url(clinician)).content.decode()
    admin_client.post(change_url(clinician), clinician_form(clinician, user=rita.pk))
    assert Clinician.objects.get(pk=clinician.pk).user == rita


def test_no_staff_group_may_link_a_clinician_to_a_login():
    for name in (EDITORS, MODERATORS, MEDICAL_REVIEWERS):
        assert not Group.objects.get(name=name).permissions.filter(codename="link_clinician_login").exists()


def test_an_editor_cannot_change_the_credited_name_of_a_clinician_with_a_login(django_user_model, clinician, rita):
    clinician.user, clinician.credentials = rita, "MD, Pain Medicine"
    clinician.save()
    editor = login(make_user(django_user_model, "eddie", EDITORS))
    page = editor.get(change_url(clinician)).content.decode()
    assert 'name="name"' not in page and 'name="credentials"' not in page
    assert "Dr Rita Reyes" in page and "MD, Pain Medicine" in page

    forged = clinician_form(clinician, name="Dr Someone Else", credentials="Professor", role="Pain doctor")
    assert editor.post(change_url(clinician), forged).status_code == 302

    clinician.refresh_from_db()
    assert (clinician.name, clinician.credentials, clinician.role) == (
        "Dr Rita Reyes",
        "MD, Pain Medicine",
        "Pain doctor",
    )


def test_an_editor_names_a_clinician_with_no_login_and_an_administrator_any(
    django_user_model, admin_client, clinician, rita
):
    editor = login(make_user(django_user_model, "eddie", EDITORS))
    editor.post(change_url(clinician), clinician_form(clinician, name="Dr Rita Reyes-Obi", credentials="MD"))
    assert Clinician.objects.get(pk=clinician.pk).name == "Dr Rita Reyes-Obi"

    Clinician.objects.filter(pk=clinician.pk).update(user=rita)
    clinician.refresh_from_db()
    admin_client.post(change_url(clinician), clinician_form(clinician, user=rita.pk, credentials="MD, PhD"))
    assert Clinician.objects.get(pk=clinician.pk).credentials == "MD, PhD"

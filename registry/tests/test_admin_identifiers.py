"""The admin's person pages follow the pages' rule: full identifiers only as a logged
reveal. Masked in the history's changes and for a staff user who may not reveal; the form
and a past version opened by one who may are logged; an ID search matches a full number
only, and is logged."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from canlian.models import AuditEntry
from registry.services import person_update

SECRETS = ("id_number", "phone", "bank_account")


@pytest.fixture
def staff(users):
    """The district administrator, with the admin: may reveal identifiers."""
    user = users["admin"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def viewer(areas):
    """A staff user who may read persons in the admin but not reveal their identifiers (a
    district administrator's role, which opens the admin, without its group)."""
    user = User.objects.create_user(
        username="viewer", password="x-Canlian-2026", area=areas["district"], is_staff=True, role=Role.DISTRICT_ADMIN
    )
    codenames = ["view_person", "view_personal_data"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registry", codename__in=codenames))
    return user


@pytest.fixture
def changed(users, person):
    """The person with a phone and an account changed once, so the history has a diff."""
    return person_update(
        user=users["officer"], person=person, data={"phone": "13700002222", "bank_account": "6228480099998888"}
    )


def _change(person):
    return reverse("admin:registry_person_change", args=[person.pk])


def _version(person):
    return reverse("admin:registry_person_simple_history", args=[person.pk, person.history.earliest().history_id])


def test_the_form_is_masked_by_default_even_for_a_user_who_may_reveal(login, staff, person):
    html = login(staff).get(_change(person)).content.decode()
    for field in SECRETS:
        assert getattr(person, field) not in html, field
    assert "440703********" in html and "显示完整证件号" in html
    assert not AuditEntry.objects.exists()


def test_the_form_revealed_by_a_user_who_may_is_full_and_logged(login, staff, person):
    html = login(staff).get(_change(person), {"reveal": "1"}).content.decode()
    for field in SECRETS:
        assert getattr(person, field) in html, field
    log = AuditEntry.objects.get()
    assert (log.user, log.action, log.person_id, log.data) == (
        staff,
        "registry.identifiers.revealed",
        person.pk,
        {"page": "admin"},
    )


def test_the_form_for_a_user_who_may_not_reveal_is_masked_and_not_logged(login, viewer, person):
    response = login(viewer).get(_change(person), {"reveal": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and person.name in html
    for field in SECRETS:
        assert getattr(person, field) not in html, field
    assert "440703********" in html and "138****5678" in html and "显示完整证件号" not in html
    assert not AuditEntry.objects.exists()


def test_the_history_shows_changed_identifiers_masked_to_everyone(login, staff, changed):
    html = login(staff).get(reverse("admin:registry_person_history", args=[changed.pk])).content.decode()
    assert "137****2222" in html and "138****5678" in html
    for secret in ("13700002222", "13812345678", "6228480099998888", "6228480012345678"):
        assert secret not in html
    assert not AuditEntry.objects.exists()


def test_a_past_version_is_masked_or_a_logged_reveal(login, staff, viewer, changed):
    html = login(viewer).get(_version(changed), {"reveal": "1"}).content.decode()
    assert "13812345678" not in html and "138****5678" in html and changed.id_number not in html
    assert not AuditEntry.objects.exists()
    html = login(staff).get(_version(changed)).content.decode()
    assert "13812345678" not in html and not AuditEntry.objects.exists()
    html = login(staff).get(_version(changed), {"reveal": "1"}).content.decode()
    assert "13812345678" in html
    log = AuditEntry.objects.get()
    assert (log.user, log.person_id, log.data["page"]) == (staff, changed.pk, "admin_history")


def test_an_id_search_matches_a_full_number_only_and_is_logged(login, staff, person, other_person):
    client = login(staff)
    url = reverse("admin:registry_person_changelist")
    html = client.get(url, {"q": person.id_number[6:14]}).content.decode()
    assert person.name not in html and other_person.name not in html
    assert not AuditEntry.objects.exists()
    html = client.get(url, {"q": person.id_number.lower()}).content.decode()
    assert person.name in html and other_person.name not in html
    log = AuditEntry.objects.get()
    assert (log.user, log.action, log.person_id, log.data) == (
        staff,
        "registry.identifiers.revealed",
        person.pk,
        {"page": "admin_search"},
    )


def test_a_name_search_still_finds_by_name_and_logs_nothing(login, staff, person, other_person):
    html = login(staff).get(reverse("admin:registry_person_changelist"), {"q": "陈建"}).content.decode()
    assert person.name in html and other_person.name not in html
    assert not AuditEntry.objects.exists()


def test_change_requests_are_read_only_in_the_admin_of_the_district_administrator(
    login, staff, users, person, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path

    from registry.changes import change_request_create

    request = change_request_create(
        user=users["officer"],
        person=person,
        field="guardian",
        values={"guardian_name": "陈大明", "guardian_phone": "13700001234"},
        reason="法院指定监护人",
        evidence=ContentFile(b"%PDF-1.4\n", name="判决书.pdf"),
    )
    client = login(staff)
    listed = client.get(reverse("admin:registry_changerequest_changelist"))
    assert listed.status_code == 200 and "监护人" in listed.content.decode()
    page = client.get(reverse("admin:registry_changerequest_change", args=[request.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "137****1234" in html and "13700001234" not in html
    assert reverse("registry:change_request_detail", args=[request.pk]) in html and "判决书.pdf" in html
    assert "_save" not in html  # a display, no form to save
    assert client.post(reverse("admin:registry_changerequest_delete", args=[request.pk])).status_code == 403
    # The town officer has no admin at all.
    officer = login(users["officer"])
    assert officer.get(reverse("admin:registry_changerequest_changelist")).status_code == 302

"""`/benefits/grants/vehicles/?person=<pk>` fills in the person's full ID number: that is a
logged reveal for a user who may reveal, and nothing is filled in for one who may not."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from canlian.models import AuditEntry


def _url(person):
    return reverse("benefits:grant_vehicles") + f"?person={person.pk}"


def test_filling_in_the_id_number_is_a_logged_reveal(login, users, person):
    html = login(users["officer"]).get(_url(person)).content.decode()
    assert f'value="{person.id_number}"' in html
    log = AuditEntry.objects.get()
    assert (log.user, log.action, log.person_id, log.data) == (
        users["officer"],
        "registry.identifiers.revealed",
        person.pk,
        {"page": "vehicles"},
    )


@pytest.fixture
def registrar(areas):
    """May register vehicles in 白沙街道, not reveal identifiers."""
    user = User.objects.create_user(username="registrar", password="x-Canlian-2026", area=areas["baisha"])
    perms = Permission.objects.filter(
        content_type__app_label__in=["registry", "benefits"],
        codename__in=["view_person", "view_personal_data", "view_vehicle", "add_vehicle"],
    )
    user.user_permissions.set(perms)
    return user


def test_a_user_who_may_not_reveal_gets_no_id_number_filled_in(login, registrar, person):
    response = login(registrar).get(_url(person))
    assert response.status_code == 200 and person.id_number not in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_person_outside_the_scope_is_404_and_not_logged(login, users, person):
    assert login(users["other_officer"]).get(_url(person)).status_code == 404
    assert not AuditEntry.objects.exists()

"""Every registry page, for the officer of the person's town (200), an officer of another
town (404, as for a person that does not exist) and a leader (no identifiers)."""

import pytest
from django.urls import reverse

from canlian.models import AuditEntry
from registry.models import PersonEvent


def _html(response):
    return response.content.decode()


def test_list_shows_the_officers_own_town_only(login, users, person, other_person):
    html = _html(login(users["officer"]).get(reverse("registry:person_list")))
    assert person.name in html and other_person.name not in html
    assert person.id_number not in html and "440703********" in html


def test_list_of_another_town_does_not_show_the_person(login, users, person):
    html = _html(login(users["other_officer"]).get(reverse("registry:person_list")))
    assert person.name not in html and "共 0 人" in html


def test_list_for_a_leader_has_no_identifiers(login, users, person, other_person):
    response = login(users["leader"]).get(reverse("registry:person_list"))
    html = _html(response)
    assert response.status_code == 200 and "共 2 人" in html
    for secret in (person.name, person.id_number, person.phone, other_person.name):
        assert secret not in html
    # Not even the masked forms: region code and last digits with a surname can identify.
    assert "陈**" in html and person.id_number[-4:] not in html and "5678" not in html


def test_search_finds_by_name_id_and_certificate_inside_the_scope(login, users, person, other_person):
    client = login(users["officer"])
    url = reverse("registry:person_list")
    for query in (
        "陈建",
        person.id_number,
        person.id_number.lower(),
        person.certificate_number,
        person.id_number[-4:],
    ):
        html = _html(client.get(url, {"q": query}))
        assert "共 1 人" in html and person.name in html, query
    assert "共 0 人" in _html(client.get(url, {"q": other_person.id_number}))


def test_search_by_another_officer_finds_nothing(login, users, person):
    html = _html(login(users["other_officer"]).get(reverse("registry:person_list"), {"q": person.id_number}))
    assert "共 0 人" in html and person.name not in html


def test_a_leader_cannot_look_a_person_up_by_id(login, users, person, other_person):
    html = _html(login(users["leader"]).get(reverse("registry:person_list"), {"q": person.id_number}))
    assert "共 2 人" in html and person.id_number not in html


@pytest.mark.parametrize("name", ["person_detail", "person_edit"])
def test_person_pages_answer_200_to_the_officer_and_404_outside(login, users, person, name):
    url = reverse(f"registry:{name}", args=[person.pk])
    assert login(users["officer"]).get(url).status_code == 200
    assert login(users["other_officer"]).get(url).status_code == 404


def test_centre_staff_see_no_one_in_the_registry_yet(login, users, person):
    client = login(users["centre"])
    assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 404
    assert "共 0 人" in _html(client.get(reverse("registry:person_list")))


def test_a_person_that_does_not_exist_answers_404_like_one_out_of_scope(login, users):
    assert login(users["officer"]).get(reverse("registry:person_detail", args=[999999])).status_code == 404


def test_detail_for_the_officer_masks_identifiers_until_revealed(login, users, person):
    html = _html(login(users["officer"]).get(reverse("registry:person_detail", args=[person.pk])))
    assert person.name in html and person.id_number not in html and person.phone not in html
    assert person.bank_account not in html and "显示完整证件号" in html


def test_detail_for_a_leader_has_no_name_no_identifiers_no_reveal(login, users, person):
    response = login(users["leader"]).get(reverse("registry:person_detail", args=[person.pk]))
    html = _html(response)
    assert response.status_code == 200
    for secret in (
        person.name,
        person.id_number,
        person.phone,
        person.address,
        person.bank_account,
    ):
        assert secret not in html
    assert "显示完整证件号" not in html and "修改记录" not in html


def test_reveal_shows_the_full_id_and_is_logged(login, users, person):
    client = login(users["officer"])
    response = client.post(reverse("registry:person_reveal", args=[person.pk]))
    assert response.status_code == 200 and person.id_number in _html(response) and person.phone in _html(response)
    log = AuditEntry.objects.get(action="registry.identifiers.revealed")
    assert (log.user, log.person_id, log.content_type.model, log.object_id) == (
        users["officer"],
        person.pk,
        "person",
        str(person.pk),
    )


def test_reveal_outside_the_scope_is_404_and_not_logged(login, users, person):
    assert login(users["other_officer"]).post(reverse("registry:person_reveal", args=[person.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="registry.identifiers.revealed").exists()


def test_a_leader_may_not_reveal(login, users, person):
    response = login(users["leader"]).post(reverse("registry:person_reveal", args=[person.pk]))
    assert response.status_code == 403 and person.id_number not in _html(response)
    assert not AuditEntry.objects.filter(action="registry.identifiers.revealed").exists()


def test_reveal_needs_post(login, users, person):
    assert login(users["officer"]).get(reverse("registry:person_reveal", args=[person.pk])).status_code == 405


def test_a_leader_may_not_edit_or_register(login, users, person):
    client = login(users["leader"])
    assert client.get(reverse("registry:person_edit", args=[person.pk])).status_code == 403
    assert client.get(reverse("registry:person_create")).status_code == 403


def test_status_event_by_the_officer_is_recorded(login, users, person):
    response = login(users["officer"]).post(
        reverse("registry:person_event", args=[person.pk]),
        {"kind": "death", "date": "2025-07-15", "reason": "民政死亡名单"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "deceased"


def test_status_event_outside_the_scope_is_404(login, users, person):
    response = login(users["other_officer"]).post(
        reverse("registry:person_event", args=[person.pk]),
        {"kind": "death", "date": "2025-07-15", "reason": "x"},
    )
    assert response.status_code == 404 and not PersonEvent.objects.exists()


def test_status_event_by_a_leader_is_403(login, users, person):
    response = login(users["leader"]).post(
        reverse("registry:person_event", args=[person.pk]),
        {"kind": "death", "date": "2025-07-15", "reason": "x"},
    )
    assert response.status_code == 403 and not PersonEvent.objects.exists()


def test_district_users_see_every_town(login, users, person, other_person):
    for key in ("admin", "reviewer"):
        html = _html(login(users[key]).get(reverse("registry:person_list")))
        assert person.name in html and other_person.name in html


def test_town_and_community_filters_stay_inside_the_scope(login, users, person, other_person, areas):
    client = login(users["officer"])
    html = _html(client.get(reverse("registry:person_list"), {"town": areas["hetang"].code}))
    # Another town's code is not a valid choice for this officer: the filter is refused,
    # and the list stays the officer's own.
    assert other_person.name not in html
    html = _html(client.get(reverse("registry:person_list"), {"community": areas["baisha_b"].code}))
    assert "共 0 人" in html


def test_anonymous_users_are_sent_to_login(client, person):
    response = client.get(reverse("registry:person_detail", args=[person.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")

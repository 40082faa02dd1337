"""Rates and rule parameters are data, edited in the admin by the district administrator."""

import datetime

from django.urls import reverse

from benefits.models import Rate
from benefits.selectors import rate_for


def staff_admin(users):
    user = users["admin"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_a_new_rate_applies_from_its_month_on(login, users, living):
    client = login(staff_admin(users))
    response = client.post(
        reverse("admin:benefits_rate_add"),
        {"scheme": living.pk, "variant": "", "valid_from": "2027-01-01", "amount_fen": "22500", "note": "新标准"},
    )
    assert response.status_code == 302
    assert rate_for(living, datetime.date(2026, 12, 1)).amount_fen == 21700
    assert rate_for(living, datetime.date(2027, 1, 1)).amount_fen == 22500


def test_a_rate_must_start_on_the_first_of_a_month(login, users, living):
    client = login(staff_admin(users))
    response = client.post(
        reverse("admin:benefits_rate_add"),
        {"scheme": living.pk, "variant": "", "valid_from": "2027-01-15", "amount_fen": "22500", "note": ""},
    )
    assert response.status_code == 200 and "起始月份请填写该月 1 日" in response.content.decode()
    assert not Rate.objects.filter(valid_from=datetime.date(2027, 1, 15)).exists()


def test_awards_and_persons_are_read_only_in_the_admin(login, users, person):
    client = login(staff_admin(users))
    assert client.get(reverse("admin:registry_person_change", args=[person.pk])).status_code in (200, 403)
    response = client.post(reverse("admin:registry_person_change", args=[person.pk]), {"name": "改名"})
    person.refresh_from_db()
    assert person.name == "陈建国" and response.status_code == 403


def test_a_town_officer_has_no_admin(login, users):
    response = login(users["officer"]).get(reverse("admin:benefits_rate_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

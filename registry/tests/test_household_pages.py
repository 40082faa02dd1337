"""The household pages: the officer's list and household page with its flag, family
members masked until a logged reveal, the forms' refusals in Chinese writing nothing, the
person page's household block and timeline, and the leader's 403."""

import datetime

import pytest

from canlian.models import AuditEntry
from conftest import make_person
from registry.households import family_member_add, household_create
from registry.identifiers import mask_id
from registry.models import FamilyMember, PersonEvent
from registry.testing import make_id_number
from registry.tests.households import household_of_two

FATHER_ID = make_id_number(birth="19500101", sequence=11)


@pytest.fixture
def household(users, areas, person):
    household, _ = household_of_two(users, areas, person)
    family_member_add(
        user=users["officer"], household=household, name="陈大文", id_number=FATHER_ID, relationship="父亲"
    )
    return household


def test_the_household_page_shows_members_the_flag_and_a_masked_family_id(login, users, household):
    page = login(users["officer"]).get(f"/persons/households/{household.pk}/").content.decode()
    assert "陈建国" in page and "陈小红" in page and "陈大文" in page
    assert 'id="multi-flag"' in page
    assert mask_id(FATHER_ID) in page and FATHER_ID not in page


def test_revealing_the_family_ids_is_logged(login, users, household):
    before = AuditEntry.objects.filter(action="registry.identifiers.revealed").count()
    page = login(users["officer"]).post(f"/persons/households/{household.pk}/reveal/").content.decode()
    assert FATHER_ID in page
    assert AuditEntry.objects.filter(action="registry.identifiers.revealed").count() == before + 1


def test_the_list_filters_multi_disabled_households(login, users, household, areas):
    household_create(user=users["officer"], number="0020010002", area=areas["baisha_a"])
    page = login(users["officer"]).get("/persons/households/?multi=1").content.decode()
    assert "0020010001" in page and "0020010002" not in page


def test_the_person_list_filters_multi_disabled(login, users, household, areas):
    make_person(areas["baisha_a"], name="孤单人", sequence=555)
    page = login(users["officer"]).get("/persons/?multi_disabled=1").content.decode()
    assert "陈小红" in page and "孤单人" not in page


def test_a_family_member_with_a_registered_persons_id_is_refused_with_a_reason(login, users, household, person):
    response = login(users["officer"]).post(
        f"/persons/households/{household.pk}/family/",
        {"name": "陈建国", "id_number": person.id_number, "relationship": "配偶"},
    )
    assert response.status_code == 400
    assert "已登记的持证残疾人" in response.content.decode()
    assert FamilyMember.objects.count() == 1


def test_setting_the_status_on_the_page_records_the_members_events(login, users, household):
    response = login(users["officer"]).post(
        f"/persons/households/{household.pk}/economic/", {"status": "tekun", "date": "2025-05-01"}
    )
    assert response.status_code == 302
    assert PersonEvent.objects.filter(kind="economic", new_value="tekun").count() == 2


def test_the_person_page_shows_the_household_and_its_timeline(login, users, household, person):
    page = login(users["officer"]).get(f"/persons/{person.pk}/?timeline=all").content.decode()
    assert 'id="person-multi-flag"' in page
    assert "0020010001" in page
    assert "加入本户" in page


def test_joining_by_an_unknown_number_says_so_and_writes_nothing(login, users, areas):
    lone = make_person(areas["baisha_a"], name="孤单人", sequence=555)
    client = login(users["officer"])
    response = client.post(f"/persons/{lone.pk}/household/", {"number": "404404", "relationship": "户主"}, follow=True)
    assert "您的管辖范围内没有户号 404404" in response.content.decode()
    lone.refresh_from_db()
    assert lone.household_id is None


def test_a_leader_gets_403(login, users, household):
    assert login(users["leader"]).get(f"/persons/households/{household.pk}/").status_code == 403
    assert login(users["leader"]).get("/persons/households/").status_code == 403


def test_another_towns_officer_gets_404(login, users, household):
    assert login(users["other_officer"]).get(f"/persons/households/{household.pk}/").status_code == 404


def test_editing_a_family_member_is_a_logged_reveal(login, users, household):
    member = household.family_members.get()
    client = login(users["officer"])
    page = client.get(f"/persons/households/{household.pk}/family/{member.pk}/").content.decode()
    assert FATHER_ID in page
    response = client.post(
        f"/persons/households/{household.pk}/family/{member.pk}/",
        {"name": "陈大文", "id_number": FATHER_ID, "relationship": "父亲", "is_carer": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_carer


def test_a_future_date_is_refused_on_the_page(login, users, household):
    day = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    response = login(users["officer"]).post(
        f"/persons/households/{household.pk}/economic/", {"status": "dibao", "date": day}
    )
    assert response.status_code == 400
    assert "晚于今天" in response.content.decode()
    assert not PersonEvent.objects.exists()

"""The five special associations: members of the association's categories (multiple
disability fits any), one chair at a time, one current membership a person, leaving on a
day, a mistaken one voided — and an association's page names only the user's own persons."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import Association, Membership
from activities.services import membership_add, membership_end, membership_void
from canlian.models import AuditEntry
from canlian.scoping import OutOfScope
from conftest import make_person

from .conftest import TODAY, days_ago


@pytest.fixture
def add(users, association):
    def _add(person, *, by="officer", position="member", joined_on=None, to=None):
        return membership_add(
            user=users[by],
            association=to or association,
            person=person,
            position=position,
            joined_on=joined_on or days_ago(30),
        )

    return _add


def test_the_five_associations_come_with_the_migrations(db):
    assert list(Association.objects.values_list("short_name", flat=True)) == ["盲协", "聋协", "肢协", "智协", "精协"]
    assert Association.objects.get(code="deaf").category_labels == ["听力", "言语"]


def test_a_physically_disabled_person_joins_the_physical_association(add, person, users):
    membership = add(person, position="chair")
    assert (membership.person, membership.position, membership.area_code, membership.recorded_by) == (
        person,
        "chair",
        person.area_id,
        users["officer"],
    )


def test_a_person_of_another_category_is_refused(add, other_person):
    with pytest.raises(ValidationError, match="该人员的残疾类别为智力，不能加入蓬江区肢残人协会"):
        add(other_person, by="other_officer")
    assert not Membership.objects.exists()


def test_multiple_disability_fits_any_association(add, areas):
    multiple = make_person(areas["baisha_a"], name="赵多重", sequence=131, category=7, grade=1)
    assert add(multiple).person == multiple


def test_a_second_current_membership_and_a_second_chair_are_refused(add, person, areas):
    add(person, position="chair")
    with pytest.raises(ValidationError, match="陈建国已是蓬江区肢残人协会的会员"):
        add(person)
    another = make_person(areas["baisha_b"], name="周立", sequence=133, category=4, grade=3)
    with pytest.raises(ValidationError, match="已有主席，请先登记现任主席离任"):
        add(another, position="chair")
    assert Membership.objects.count() == 1


def test_a_member_leaves_and_may_join_again(add, person, users):
    membership = add(person, joined_on=days_ago(60))
    membership_end(user=users["officer"], membership=membership, left_on=days_ago(10))
    membership.refresh_from_db()
    assert membership.left_on == days_ago(10)
    entry = AuditEntry.objects.get(action="activities.membership.ended")
    assert entry.person_id == person.pk and entry.data["name"] == "蓬江区肢残人协会"
    assert add(person, joined_on=days_ago(1)).left_on is None


@pytest.mark.parametrize(
    ("left", "message"),
    [
        (None, "请填写离会日期"),
        (TODAY + datetime.timedelta(days=1), "离会日期不能晚于今天"),
        (datetime.date(2000, 1, 1), "离会日期不能早于入会日期"),
    ],
)
def test_a_wrong_leaving_day_is_refused(add, person, users, left, message):
    membership = add(person)
    with pytest.raises(ValidationError, match=message):
        membership_end(user=users["officer"], membership=membership, left_on=left)
    membership.refresh_from_db()
    assert membership.left_on is None


def test_another_towns_officer_may_not_end_or_void_it(add, person, users):
    membership = add(person)
    with pytest.raises(OutOfScope):
        membership_end(user=users["other_officer"], membership=membership, left_on=TODAY)
    with pytest.raises(OutOfScope):
        membership_void(user=users["other_officer"], membership=membership, reason="错")


def test_the_page_names_the_users_members_and_counts_the_others(add, login, users, person, other_person):
    add(person, position="vice_chair")
    add(other_person, by="other_officer", to=Association.objects.get(code="intellectual"))
    add(make_person(other_person.area, name="孙建华", sequence=135, category=4, grade=2), by="other_officer")
    url = reverse("activities:association_detail", args=[Association.objects.get(code="physical").pk])
    page = login(users["officer"]).get(url).content.decode()
    assert "陈建国" in page and "副主席" in page and "孙建华" not in page
    assert "另有 1 人不在您的管辖范围内" in page
    leader = login(users["leader"]).get(url).content.decode()
    assert "陈建国" not in leader and "共 2 人（只显示人数）" in leader


def test_adding_a_member_on_the_page(login, users, person, association):
    url = reverse("activities:member_add", args=[association.pk])
    data = {"id_number": person.id_number, "position": "member", "joined_on": days_ago(3).isoformat()}
    response = login(users["officer"]).post(url, data)
    assert response.status_code == 302 and Membership.objects.get().person == person
    refused = login(users["officer"]).post(url, data)
    assert refused.status_code == 400 and "已是蓬江区肢残人协会的会员" in refused.content.decode()
    outside = login(users["other_officer"]).post(url, data)
    assert outside.status_code == 400 and "在您的管辖范围内没有该身份证号的持证人员" in outside.content.decode()
    assert Membership.objects.count() == 1

"""A person who moves town takes this year's assessment to the new town; the services
already given stay with the town that gave them."""

from django.urls import reverse

from registry.services import person_update
from rehab.models import NeedAssessment, ServiceRecord
from rehab.services import need_assess


def test_the_assessment_follows_and_the_records_stay(users, person, record_for, areas):
    record = record_for(person, days_ago=0)
    need_assess(
        user=users["officer"],
        person=person,
        year=record.served_on.year,
        has_need=True,
        kinds=["physical"],
        assessed_on=record.served_on,
    )
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    assert NeedAssessment.objects.get().area_code == areas["hetang_a"].code
    assert ServiceRecord.objects.get().area_code == areas["baisha_a"].code


def test_after_a_move_the_old_town_lists_the_record_and_the_new_town_sees_the_persons_history(
    login, users, person, record_for, areas
):
    record_for(person)
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    old_town = login(users["officer"]).get(reverse("rehab:record_list")).content.decode()
    assert "共 1 条记录" in old_town
    detail = login(users["other_officer"]).get(reverse("registry:person_detail", args=[person.pk]))
    assert detail.status_code == 200 and "运动功能训练" in detail.content.decode()

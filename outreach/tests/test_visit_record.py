"""Recording a home visit: who went, what was found and given, the needs raised as open
items of the person's town; every bad input refused in Chinese with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from outreach.models import HomeVisit, VisitNeed
from outreach.services import visit_record, visit_void
from registry.services import person_event_record

from .conftest import DAY, TODAY


def nothing_written() -> bool:
    return not HomeVisit.objects.exists() and not VisitNeed.objects.exists()


def test_a_visit_keeps_its_visitors_gifts_and_raises_an_open_item_per_need(users, person, visit_for):
    visit = visit_for(
        person,
        visitors=[users["officer"], users["admin"]],
        other_visitors="区领导 黄达斌",
        findings="屋顶漏水，老人行动不便",
        needs=["housing", "medical"],
        money=Decimal("800.50"),
        follow_up_on=TODAY + 30 * DAY,
    )
    visit.refresh_from_db()
    assert {u.username for u in visit.visitors.all()} == {"officer", "admin"}
    assert (visit.other_visitors, visit.money, visit.area_code) == ("区领导 黄达斌", Decimal("800.50"), person.area_id)
    # In the list's order, whatever order they were ticked in.
    assert visit.needs == ["medical", "housing"] and visit.need_labels == ["医疗", "住房"]
    needs = VisitNeed.objects.order_by("kind")
    assert [(n.kind, n.area_code, n.raised_on, n.is_open) for n in needs] == [
        ("housing", person.area_id, visit.visited_on, True),
        ("medical", person.area_id, visit.visited_on, True),
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"visited_on": TODAY + DAY}, "走访日期不能晚于今天"),
        ({"visited_on": datetime.date(1979, 12, 31)}, "走访日期不能早于出生日期（1980-01-01）"),
        ({"visitors": [], "other_visitors": "  "}, "请至少填写一名走访人"),
        ({"money": Decimal("-1")}, "慰问金额不能为负数"),
        ({"money": Decimal("1.005")}, "慰问金额最多保留两位小数"),
        ({"money": Decimal("100001")}, "一次走访的慰问金额不能超过 100,000 元，请检查是否输入有误"),
        ({"follow_up_on": TODAY - 20 * DAY}, "下次跟进日期不能早于走访日期"),
        ({"needs": ["living", "fun"]}, "未知的需求类别：fun"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_writes_nothing(person, visit_for, fields, message):
    with pytest.raises(ValidationError) as refused:
        visit_for(person, **fields)
    assert refused.value.messages == [message]
    assert nothing_written()


def test_a_visit_after_the_persons_death_is_refused(users, person, visit_for):
    person_event_record(user=users["officer"], person=person, kind="death", date=TODAY - 30 * DAY)
    with pytest.raises(ValidationError, match="死亡，走访日期不能晚于此日期"):
        visit_for(person, days_ago=5)
    assert nothing_written()


def test_a_second_visit_the_same_day_is_a_double_entry(person, visit_for):
    visit_for(person, needs=["living"])
    with pytest.raises(ValidationError) as refused:
        visit_for(person, needs=["medical"])
    assert refused.value.messages == [f"该人员 {TODAY - 10 * DAY:%Y-%m-%d} 已有走访记录，请勿重复登记"]
    assert list(VisitNeed.objects.values_list("kind", flat=True)) == ["living"]


def test_another_towns_officer_cannot_record_and_a_leader_never_writes(users, person, visit_for):
    with pytest.raises(Http404):
        visit_for(person, by="other_officer")
    with pytest.raises(PermissionDenied):
        visit_record(user=users["leader"], person=person, visited_on=TODAY, visitors=[users["leader"]])
    assert nothing_written()


def test_voiding_a_visit_voids_its_open_needs_and_keeps_the_closed_ones(users, person, visit_for):
    from outreach.services import need_close

    visit = visit_for(person, needs=["living", "medical"])
    medical = VisitNeed.objects.get(kind="medical")
    need_close(user=users["officer"], need=medical, outcome="已联系家庭医生上门", closed_on=TODAY)
    visit_void(user=users["officer"], visit=visit, reason="录错人员")
    living, medical = VisitNeed.objects.order_by("kind")
    assert living.voided_at is not None and living.void_reason == "走访记录已作废：录错人员"
    assert medical.voided_at is None and medical.outcome == "已联系家庭医生上门"
    assert not HomeVisit.objects.standing().exists()

"""Bad input gets a clear Chinese message and writes nothing: income for a non-member or
a month outside the membership, negative or too many work days, a month in the future,
negative income; a sale with a negative amount, stock going below zero."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from benefits.months import add_months
from conftest import make_person
from workshops.models import Channel, Product, Sale, WorkMonth
from workshops.services import Entry, membership_end, month_save, product_restock, sale_record
from workshops.tests.conftest import JOINED, LAST_MONTH, THIS_MONTH, TODAY

pytestmark = pytest.mark.django_db


def _save(users, workshop, month, entries):
    return month_save(user=users["centre"], workshop=workshop, month=month, entries=entries)


def test_income_for_a_person_who_is_not_a_member_is_refused_and_nothing_is_written(workshop, members, users, areas):
    stranger = make_person(areas["baisha_b"], name="王芳", sequence=611)
    entries = {members[0].person_id: Entry(20, 80000), stranger.pk: Entry(10, 40000)}
    with pytest.raises(ValidationError, match="王芳在 .* 不是“白沙就业爱心车间”的成员，不能登记工作天数和收入"):
        month_save(user=users["admin"], workshop=workshop, month=LAST_MONTH, entries=entries)
    # The workshop's staff do not see 王芳 in the registry: counted, not named.
    with pytest.raises(ValidationError, match="1 人在 .* 不是“白沙就业爱心车间”的成员"):
        _save(users, workshop, LAST_MONTH, entries)
    assert not WorkMonth.objects.exists()


def test_a_month_before_the_person_joined_is_refused(workshop, members, users):
    before = add_months(JOINED, -1)
    with pytest.raises(ValidationError, match="不是“白沙就业爱心车间”的成员"):
        _save(users, workshop, before, {members[0].person_id: Entry(20, 80000)})
    assert not WorkMonth.objects.exists()


def test_a_month_after_the_member_left_is_refused(workshop, members, users):
    membership_end(user=users["admin"], membership=members[0], ended_on=add_months(JOINED, 1) - datetime.timedelta(1))
    with pytest.raises(ValidationError, match="不是“白沙就业爱心车间”的成员"):
        _save(users, workshop, add_months(JOINED, 1), {members[0].person_id: Entry(20, 80000)})
    assert not WorkMonth.objects.exists()


def test_a_member_of_another_workshop_is_not_a_member_here(workshop, other_member, users):
    with pytest.raises(ValidationError, match="不是“白沙就业爱心车间”的成员"):
        month_save(
            user=users["admin"], workshop=workshop, month=LAST_MONTH, entries={other_member.person_id: Entry(5, 100)}
        )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (Entry(-1, 80000), "工作天数不能为负数"),
        (Entry(32, 80000), "工作天数 32 超过"),
        (Entry(20, -100), "收入不能为负数"),
    ],
)
def test_negative_or_too_many_days_and_negative_income_are_refused(workshop, members, users, entry, message):
    entries = {members[0].person_id: Entry(20, 80000), members[1].person_id: entry}
    with pytest.raises(ValidationError, match=message):
        _save(users, workshop, LAST_MONTH, entries)
    assert not WorkMonth.objects.exists()


def test_more_days_than_a_short_month_has_are_refused(workshop, users, areas):
    person = make_person(areas["baisha_a"], name="赵敏", sequence=621)
    from workshops.services import membership_start

    membership_start(user=users["admin"], workshop=workshop, person=person, started_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="超过 2025-02 的天数（28 天）"):
        _save(users, workshop, datetime.date(2025, 2, 1), {person.pk: Entry(29, 100)})


def test_a_month_in_the_future_is_refused(workshop, members, users):
    with pytest.raises(ValidationError, match="尚未到来"):
        _save(users, workshop, add_months(THIS_MONTH, 1), {members[0].person_id: Entry(1, 100)})
    assert not WorkMonth.objects.exists()


def test_a_sale_with_a_negative_amount_is_refused(workshop, users):
    with pytest.raises(ValidationError, match="销售金额不能为负数"):
        sale_record(user=users["centre"], workshop=workshop, channel=Channel.SHOP, sold_on=TODAY, amount_fen=-500)
    assert not Sale.objects.exists()


def test_a_sale_beyond_the_stock_is_refused_and_the_stock_is_kept(workshop, product, users):
    with pytest.raises(ValidationError, match="“挂耳咖啡”库存不足：现有 10盒，本次售出 11盒"):
        sale_record(
            user=users["centre"], workshop=workshop, channel=Channel.EVENT, sold_on=TODAY, amount_fen=27500,
            product=product, quantity=11,
        )  # fmt: skip
    assert Product.objects.get().stock == 10
    assert not Sale.objects.exists()


def test_a_sale_in_the_future_is_refused(workshop, users):
    with pytest.raises(ValidationError, match="销售日期不能晚于今天"):
        sale_record(
            user=users["centre"], workshop=workshop, channel=Channel.SHOP,
            sold_on=TODAY + datetime.timedelta(days=1), amount_fen=100,
        )  # fmt: skip


def test_a_restock_must_be_positive(product, users):
    with pytest.raises(ValidationError, match="入库数量应为正整数"):
        product_restock(user=users["centre"], product=product, quantity=0)
    assert Product.objects.get().stock == 10


def test_leaving_before_an_entered_month_is_refused(workshop, members, users):
    _save(users, workshop, LAST_MONTH, {members[0].person_id: Entry(20, 80000)})
    with pytest.raises(ValidationError, match=f"已登记 {LAST_MONTH:%Y-%m} 的月报"):
        membership_end(user=users["admin"], membership=members[0], ended_on=LAST_MONTH - datetime.timedelta(days=1))


def test_joining_twice_is_refused(workshop, members, users):
    from workshops.services import membership_start

    with pytest.raises(ValidationError, match="已是“白沙就业爱心车间”的成员"):
        membership_start(user=users["admin"], workshop=workshop, person=members[0].person, started_on=TODAY)


def test_a_stranger_out_of_the_users_scope_is_counted_not_named(workshop, members, users, other_person):
    entries = {members[0].person_id: Entry(20, 80000), other_person.pk: Entry(10, 40000)}
    with pytest.raises(ValidationError) as refused:
        _save(users, workshop, LAST_MONTH, entries)
    assert "1 人在" in refused.value.messages[0]
    assert other_person.name not in refused.value.messages[0]
    assert not WorkMonth.objects.exists()


def test_a_membership_with_entered_months_cannot_be_voided(workshop, members, users):
    from workshops.services import membership_void

    _save(users, workshop, LAST_MONTH, {members[0].person_id: Entry(20, 80000)})
    with pytest.raises(ValidationError, match="不能作废"):
        membership_void(user=users["admin"], membership=members[0], reason="录入错误")
    assert members[0].__class__.objects.get(pk=members[0].pk).voided_at is None
    voided = membership_void(user=users["admin"], membership=members[1], reason="录入错误")
    assert voided.voided_at is not None

"""Registering and correcting an activity: the kind, organiser, dates and place rules, the
organiser's jurisdiction, the code of the year, and refusals that write nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Activity
from activities.services import activity_update
from canlian.scoping import OutOfScope

from .conftest import TODAY, days_ago


def test_a_town_officer_registers_their_towns_activity_with_the_next_code_of_its_year(make_activity, users):
    first = make_activity()
    second = make_activity(name="普法讲座", kind="legal")
    assert first.code == f"HD{first.starts_on.year}0001" and second.code == f"HD{second.starts_on.year}0002"
    assert (first.organiser_label, first.area.code) == ("白沙街道残联", "440703002000")
    assert first.created_by == users["officer"]
    assert first.ends_on == first.starts_on and first.history.get().history_user == users["officer"]


def test_the_district_and_associations_activities_belong_to_the_district(make_activity, areas):
    activity = make_activity(
        by="admin", kind="association", organiser="association", association=_assoc("blind"), area=areas["baisha"]
    )
    assert activity.area == areas["district"] and activity.organiser_label == "蓬江区盲人协会"


def _assoc(code):
    from activities.models import Association

    return Association.objects.get(code=code)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "请填写活动名称"),
        ({"kind": "five_ones"}, "请选择是五个一中的哪一项"),
        ({"five_one": "book"}, "只有文化进家园"),
        ({"kind": "association"}, "专门协会活动的主办方应为专门协会"),
        ({"kind": "other", "organiser": "centre", "centre_name": ""}, "请选择主办康园中心"),
        # A new centre's activity picks its centre: a name as text alone is no longer taken.
        ({"kind": "other", "organiser": "centre", "centre_name": "白沙紫沙康园中心"}, "请选择主办康园中心"),
        ({"ends_on": days_ago(5) - datetime.timedelta(days=1)}, "结束日期不能早于开始日期"),
        ({"ends_on": days_ago(5) + datetime.timedelta(days=366)}, "不能超过一年"),
        ({"starts_on": datetime.date(2015, 5, 17)}, "不能早于 2016 年"),
        ({"starts_on": TODAY + datetime.timedelta(days=400)}, "不能晚于一年之后"),
        ({"place": ""}, "请填写活动地点"),
        ({"volunteers": -1}, "志愿者人数不能为负数"),
    ],
)
def test_a_wrong_activity_is_refused_with_the_reason_and_nothing_is_written(make_activity, fields, message):
    with pytest.raises(ValidationError, match=message):
        make_activity(**fields)
    assert not Activity.objects.exists()


def test_an_online_activity_needs_no_place_and_a_planned_one_may_be_in_the_future(make_activity):
    online = make_activity(online=True, place="", starts_on=TODAY + datetime.timedelta(days=20))
    assert online.place_label == "线上" and online.starts_on > TODAY


def test_a_town_officer_may_not_register_the_districts_or_another_towns_activity(make_activity, areas):
    with pytest.raises(PermissionDenied, match="只能由区级用户登记"):
        make_activity(kind="disability_day", organiser="district")
    with pytest.raises(OutOfScope):
        make_activity(area=areas["hetang"])
    assert not Activity.objects.exists()


def test_a_leader_may_not_register_an_activity(make_activity):
    with pytest.raises(PermissionDenied, match="没有登记活动的权限"):
        make_activity(by="leader")


def _fields(activity, **changes):
    from activities.services import ACTIVITY_FIELDS

    values = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    values.update(changes)
    return values


def test_an_activity_is_corrected_and_its_history_keeps_the_old_name(activity, users):
    activity_update(user=users["officer"], activity=activity, **_fields(activity, name="白沙街道助残日文艺演出"))
    activity.refresh_from_db()
    assert activity.name == "白沙街道助残日文艺演出"
    names = [h.name for h in activity.history.order_by("history_date")]
    assert names == ["白沙街道助残日活动", "白沙街道助残日文艺演出"]


def test_dates_that_leave_out_a_participant_are_refused(activity, users, person, join):
    join(activity, person)
    later = activity.starts_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="已有 1 名参加人员的参加日期不在新的活动日期内"):
        activity_update(user=users["officer"], activity=activity, **_fields(activity, starts_on=later, ends_on=later))
    activity.refresh_from_db()
    assert activity.starts_on == days_ago(5)


def test_the_kind_of_an_activity_with_participants_stays(activity, users, person, join):
    join(activity, person)
    with pytest.raises(ValidationError, match="不能修改活动类型"):
        activity_update(
            user=users["officer"], activity=activity, **_fields(activity, kind="five_ones", five_one="book")
        )


def test_another_towns_officer_may_not_correct_it_and_a_town_officer_not_the_districts(
    activity, district_activity, users
):
    with pytest.raises(OutOfScope):
        activity_update(user=users["other_officer"], activity=activity, **_fields(activity, name="改名"))
    with pytest.raises(PermissionDenied, match="只能由区级用户"):
        activity_update(user=users["officer"], activity=district_activity, **_fields(district_activity, name="改名"))

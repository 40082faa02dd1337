"""A need a visit raised stays open for the person's town until closed with what was
done; the town now responsible closes it (the need follows a person who moves)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from canlian.models import AuditEntry
from outreach.models import VisitNeed
from outreach.services import need_close
from registry.services import person_update

from .conftest import DAY, TODAY


@pytest.fixture
def need(person, visit_for):
    visit_for(person, needs=["employment"])
    return VisitNeed.objects.get()


def test_the_town_closes_a_need_with_what_was_done_and_it_is_audited(users, need):
    closed = need_close(user=users["officer"], need=need, outcome=" 推荐到 辅助性就业车间 ", closed_on=TODAY)
    assert (closed.closed_on, closed.closed_by, closed.outcome) == (TODAY, users["officer"], "推荐到 辅助性就业车间")
    entry = AuditEntry.objects.get(action="outreach.need.closed")
    assert (entry.person_id, entry.data) == (need.person_id, {"outcome": "推荐到 辅助性就业车间"})


@pytest.mark.parametrize(
    ("outcome", "days", "message"),
    [
        ("   ", 0, "请填写办理结果"),
        ("已办", -1, "办结日期不能晚于今天"),
        ("已办", 11, f"办结日期不能早于发现需求的日期（{TODAY - 10 * DAY:%Y-%m-%d}）"),
    ],
)
def test_a_close_without_an_outcome_or_with_a_wrong_day_is_refused(users, need, outcome, days, message):
    with pytest.raises(ValidationError) as refused:
        need_close(user=users["officer"], need=need, outcome=outcome, closed_on=TODAY - days * DAY)
    assert refused.value.messages == [message]
    need.refresh_from_db()
    assert need.is_open


def test_a_need_is_closed_once(users, need):
    need_close(user=users["officer"], need=need, outcome="已办", closed_on=TODAY)
    with pytest.raises(ValidationError, match="已于 .* 办结"):
        need_close(user=users["officer"], need=need, outcome="又办", closed_on=TODAY)


def test_another_town_or_a_reviewer_cannot_close_it(users, need):
    with pytest.raises(Http404):
        need_close(user=users["other_officer"], need=need, outcome="已办", closed_on=TODAY)
    with pytest.raises(PermissionDenied):
        need_close(user=users["reviewer"], need=need, outcome="已办", closed_on=TODAY)
    need.refresh_from_db()
    assert need.is_open


def test_the_need_follows_a_person_who_moves_and_the_visit_stays(users, areas, person, need):
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    need.refresh_from_db()
    assert need.area_code == areas["hetang_a"].code
    assert need.visit.area_code == areas["baisha_a"].code
    need_close(user=users["other_officer"], need=need, outcome="新镇跟进", closed_on=TODAY)

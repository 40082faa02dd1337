"""The person-record base (`canlian.records`), proved on `rehab.ServiceRecord`: who may write
and void, the day against the person's life, a voided record kept but counted nowhere,
`records_changed` once per transaction, and a move handled per `follows_person`."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from canlian.errors import error_text
from canlian.records import record_create, record_void
from canlian.scoping import OutOfScope
from canlian.signals import records_changed
from registry.models import EventKind
from registry.services import person_event_record, person_update
from rehab.models import Provider, RehabItem, ServiceRecord, ServiceYear
from rehab.selectors import records_visible_to

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def create(areas):
    """`record_create` of a service record of the migrated catalogue, `days_ago` days back."""
    provider = Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"])

    def _create(user, person, *, days_ago: int = 10, code: str = "KF09", **extra):
        fields = {"served_on": TODAY - days_ago * DAY, "sessions": 2} | extra
        item = RehabItem.objects.get(code=code)
        return record_create(model=ServiceRecord, user=user, person=person, item=item, provider=provider, **fields)

    return _create


def _message(exc_info) -> str:
    return error_text(exc_info.value)


# Who may write ---------------------------------------------------------------------------


def test_the_base_fills_in_the_person_area_and_recorder(users, person, create):
    record = create(users["officer"], person)
    assert (record.person, record.area_code, record.recorded_by) == (person, "440703002001", users["officer"])
    assert record.created_at and record.voided_at is None


def test_without_the_add_permission_nothing_is_written(users, person, create):
    with pytest.raises(PermissionDenied) as exc:
        create(users["leader"], person)
    assert _message(exc) == "您没有登记康复服务记录的权限"
    assert not ServiceRecord.objects.exists()


def test_a_person_outside_the_scope_is_out_of_scope(users, other_person, create):
    with pytest.raises(OutOfScope):
        create(users["officer"], other_person)
    assert not ServiceRecord.objects.exists()


def test_the_base_writes_its_own_fields(users, person, create):
    with pytest.raises(TypeError, match="area_code"):
        create(users["officer"], person, area_code="440703102201")


# The day against the person's life -------------------------------------------------------


def test_a_day_in_the_future_is_refused(users, person, create):
    with pytest.raises(ValidationError) as exc:
        create(users["officer"], person, days_ago=-1)
    assert _message(exc) == "服务日期不能晚于今天"


def test_no_day_is_refused_naming_the_field(users, person, create):
    with pytest.raises(ValidationError) as exc:
        create(users["officer"], person, served_on=None)
    assert _message(exc) == "请填写服务日期"


def test_a_day_before_birth_is_refused(users, person, create):
    with pytest.raises(ValidationError) as exc:
        create(users["officer"], person, served_on=datetime.date(1979, 12, 31))
    assert _message(exc) == "服务日期不能早于出生日期（1980-01-01）"


def test_a_day_before_the_certificate_is_refused(users, person, create):
    person.certificate_issued = TODAY - 5 * DAY
    person.save()
    with pytest.raises(ValidationError) as exc:
        create(users["officer"], person, days_ago=6)
    assert _message(exc) == f"服务日期早于该人员的发证日期（{TODAY - 5 * DAY:%Y-%m-%d}）"
    assert create(users["officer"], person, days_ago=5).pk


@pytest.mark.parametrize(
    "kind, label", [(EventKind.DEATH, "死亡"), (EventKind.MOVED_OUT, "迁出"), (EventKind.CANCELLED, "证件注销")]
)
def test_a_day_after_death_moving_out_or_cancellation_is_refused(users, person, create, kind, label):
    person_event_record(user=users["officer"], person=person, kind=kind, date=TODAY - 20 * DAY)
    with pytest.raises(ValidationError) as exc:
        create(users["officer"], person, days_ago=19)
    assert _message(exc) == f"该人员已于 {TODAY - 20 * DAY:%Y-%m-%d} {label}，服务日期不能晚于此日期"
    assert create(users["officer"], person, days_ago=20).pk  # the day itself still counts


def test_a_day_between_moving_out_and_a_restoration_is_refused(users, person, create):
    """The person is active again, but was not on that day: the status events say so."""
    officer = users["officer"]
    person_event_record(user=officer, person=person, kind=EventKind.MOVED_OUT, date=TODAY - 30 * DAY)
    person_event_record(user=officer, person=person, kind=EventKind.RESTORED, date=TODAY - 10 * DAY)
    with pytest.raises(ValidationError) as exc:
        create(officer, person, days_ago=20)
    assert _message(exc) == (
        f"该人员于 {TODAY - 30 * DAY:%Y-%m-%d} 迁出，{TODAY - 10 * DAY:%Y-%m-%d} 恢复正常，服务日期不能在此期间"
    )
    assert [create(officer, person, days_ago=days).served_on for days in (30, 10, 5)] == [
        TODAY - 30 * DAY,
        TODAY - 10 * DAY,
        TODAY - 5 * DAY,
    ]


# Voiding ---------------------------------------------------------------------------------


def test_a_voided_record_keeps_its_row_and_who_when_why(users, person, create):
    record = create(users["officer"], person)
    voided = record_void(record=record, user=users["officer"], reason=" 项目选错 ")
    stored = ServiceRecord.objects.get(pk=record.pk)
    assert (stored.voided_by, stored.void_reason) == (users["officer"], "项目选错")
    assert stored.voided_at == voided.voided_at and stored.recorded_by == users["officer"]


def test_a_voided_record_counts_nowhere(users, person, create):
    standing = create(users["officer"], person, days_ago=3)
    record_void(record=create(users["officer"], person, days_ago=2), user=users["officer"], reason="重复")
    assert list(ServiceRecord.objects.standing()) == [standing]
    assert list(records_visible_to(users["officer"])) == [standing]
    assert list(person.rehab_records.standing()) == [standing]
    assert ServiceYear.objects.get().records == 1


def test_voiding_needs_the_void_permission_and_the_records_town(users, person, create):
    record = create(users["officer"], person)
    with pytest.raises(PermissionDenied) as exc:
        record_void(record=record, user=users["leader"], reason="x")
    assert _message(exc) == "您没有作废康复服务记录的权限"
    with pytest.raises(OutOfScope):
        record_void(record=record, user=users["other_officer"], reason="x")
    assert ServiceRecord.objects.get().voided_at is None


# records_changed -------------------------------------------------------------------------


@pytest.fixture
def sent():
    calls = []

    def receiver(sender, *, source, year=None, **kwargs):
        calls.append((sender, source, year))

    records_changed.connect(receiver, dispatch_uid="test_records")
    yield calls
    records_changed.disconnect(dispatch_uid="test_records")


class Boom(Exception):
    pass


def test_records_changed_is_sent_once_per_transaction_and_year(users, person, create, sent):
    officer, this_year = users["officer"], TODAY.year
    with transaction.atomic():
        create(officer, person, days_ago=0)
        create(officer, person, days_ago=0, code="KF22")
        record_void(record=create(officer, person, days_ago=1), user=officer, reason="重复")
    assert sent == [(ServiceRecord, "rehab", this_year)]
    create(officer, person, served_on=datetime.date(this_year - 1, 6, 1))
    assert sent[1:] == [(ServiceRecord, "rehab", this_year - 1)]


def test_a_rolled_back_write_takes_its_mark_with_it(users, person, create, sent):
    """The receivers' work queued for the rolled-back write is gone too: the next write asks again."""
    day = datetime.date(TODAY.year - 2, 6, 1)
    with pytest.raises(Boom), transaction.atomic():
        create(users["officer"], person, served_on=day)
        raise Boom
    create(users["officer"], person, served_on=day)
    assert sent == [(ServiceRecord, "rehab", day.year)] * 2


def test_a_refused_write_sends_nothing(users, person, create, sent):
    with pytest.raises(ValidationError):
        create(users["officer"], person, days_ago=-1)
    assert sent == []


# Moves -----------------------------------------------------------------------------------


def test_a_record_that_does_not_follow_keeps_the_community_of_its_day(users, areas, person, create):
    assert ServiceRecord.follows_person is False
    record = create(users["officer"], person)
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    assert ServiceRecord.objects.get(pk=record.pk).area_code == "440703002001"


def test_a_record_that_follows_moves_with_the_person(users, areas, person, other_person, create, monkeypatch, sent):
    monkeypatch.setattr(ServiceRecord, "follows_person", True)
    standing = create(users["officer"], person)
    voided = record_void(record=create(users["officer"], person, days_ago=2), user=users["officer"], reason="重复")
    others = create(users["admin"], other_person)
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_b"]})
    codes = dict(ServiceRecord.objects.values_list("pk", "area_code"))
    assert codes == {standing.pk: "440703102202", voided.pk: "440703102202", others.pk: "440703102201"}
    assert list(records_visible_to(users["other_officer"]).order_by("pk")) == [standing, others]
    assert not records_visible_to(users["officer"]).exists()
    assert (ServiceRecord, "rehab", None) in sent


# The model's declaration -----------------------------------------------------------------


def test_a_record_model_declares_its_date_field_void_permission_and_person_key(monkeypatch):
    assert ServiceRecord.check() == []
    monkeypatch.setattr(ServiceRecord, "date_field", "note")
    monkeypatch.setattr(ServiceRecord._meta, "permissions", [("export_servicerecords", "导出康复服务记录")])
    monkeypatch.setattr(ServiceRecord._meta, "constraints", [])
    assert [error.id for error in ServiceRecord.check()] == ["canlian.E101", "canlian.E102", "canlian.E103"]

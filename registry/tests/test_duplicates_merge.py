"""A merge moves every row naming the merged person to the kept one, across apps, in one
transaction; conflicts, scope and towns refuse it with nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from benefits.models import Award, PaymentMonth, PayrollBatch, Scheme
from canlian.models import AuditEntry
from conftest import make_person
from outreach.models import HomeVisit
from registry.duplicates import person_relations, persons_merge
from registry.models import DuplicatePair, EventKind, Person, PersonCount, PersonEvent, Status
from rehab.models import Provider, RehabItem, ServiceRecord, ServiceYear

D = datetime.date


def _pair(a: Person, b: Person) -> DuplicatePair:
    low, high = sorted((a, b), key=lambda p: p.pk)
    now = timezone.now()
    return DuplicatePair.objects.create(person_a=low, person_b=high, reasons=1, found_at=now, seen_at=now)


@pytest.fixture
def twin(areas, person):
    """A second registration of the home person: same name and birth date, another ID."""
    return make_person(areas["baisha_b"], name=person.name, sequence=321)


def _award(person, *, start: datetime.date, end=None, code="living") -> Award:
    return Award.objects.create(
        person=person,
        scheme=Scheme.objects.get(code=code),
        area_code=person.area_id,
        start_month=start,
        end_month=end,
        source=Award.Source.IMPORT,
    )


def _paid(person, award, month: datetime.date, admin) -> PaymentMonth:
    batch, _ = PayrollBatch.objects.get_or_create(scheme=award.scheme, month=month, defaults={"prepared_by": admin})
    return PaymentMonth.objects.create(
        batch=batch,
        scheme=award.scheme,
        person=person,
        award=award,
        area_code=person.area_id,
        month=month,
        amount_fen=21700,
    )


def _counted(status: str) -> int:
    return PersonCount.objects.filter(status=status).aggregate(n=Sum("persons"))["n"] or 0


def test_a_merge_moves_rehab_outreach_and_benefits_records_to_the_kept_person(users, person, twin, areas):
    admin = users["admin"]
    provider = Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"])
    ServiceRecord.objects.create(
        person=twin,
        area_code=twin.area_id,
        item=RehabItem.objects.order_by("pk").first(),
        provider=provider,
        served_on=D(2025, 5, 1),
        recorded_by=admin,
    )
    HomeVisit.objects.create(person=twin, area_code=twin.area_id, visited_on=D(2025, 6, 1), recorded_by=admin)
    award = _award(twin, start=D(2025, 1, 1))
    _paid(twin, award, D(2025, 1, 1), admin)
    active_before = _counted(Status.ACTIVE)

    moved = persons_merge(user=users["reviewer"], pair=_pair(person, twin), kept=person)

    assert ServiceRecord.objects.get().person == person
    # The yearly counter, kept by triggers, followed its record.
    assert list(ServiceYear.objects.values_list("person_id", "records")) == [(person.pk, 1)]
    assert HomeVisit.objects.get().person == person
    # An award follows its person (as on a move): the kept person's community's now.
    assert (Award.objects.get().person, Award.objects.get().area_code) == (person, person.area_id)
    assert PaymentMonth.objects.get().person == person
    assert sum(moved.values()) == 4
    twin.refresh_from_db()
    assert (twin.status, twin.merged_into_id, twin.status_date) == (Status.MERGED, person.pk, timezone.localdate())
    event = PersonEvent.objects.get(person=twin)
    assert (event.kind, event.old_value, event.new_value) == (EventKind.MERGED, Status.ACTIVE, Status.MERGED)
    assert _counted(Status.ACTIVE) == active_before - 1
    assert _counted(Status.MERGED) == 1
    pair = DuplicatePair.objects.get()
    assert (pair.decision, pair.kept, pair.decided_by) == (DuplicatePair.Decision.MERGED, person, users["reviewer"])
    entry = AuditEntry.objects.get(action="registry.persons.merged")
    assert (entry.user, entry.data["kept"], entry.data["merged"]) == (users["reviewer"], person.pk, twin.pk)


def test_the_relations_are_found_in_every_app_but_derived_rows_are_left_to_the_database():
    found = {(r.model._meta.label, r.field.name) for r in person_relations()}
    assert {("rehab.ServiceRecord", "person"), ("outreach.HomeVisit", "person"), ("benefits.Award", "person")} <= found
    assert ("outreach.PsychCase", "related_person") in found
    assert ("care.Drill_members", "person") in found
    # Kept by triggers, a view, history copies, the merged row's own events: not moved.
    for derived in ("rehab.ServiceYear", "care.MemberDay", "registry.HistoricalPerson", "registry.PersonEvent"):
        assert not any(label == derived for label, _ in found)


def test_two_awards_of_one_scheme_paying_the_same_month_refuse_the_merge(users, person, twin):
    _award(person, start=D(2024, 1, 1), end=D(2024, 12, 1))
    _award(twin, start=D(2024, 6, 1))
    with pytest.raises(ValidationError) as refused:
        persons_merge(user=users["reviewer"], pair=_pair(person, twin), kept=person)
    message = refused.value.messages[0]
    assert "无法合并，未作任何修改" in message
    assert "困难残疾人生活补贴：两人的享受记录在 2024年06月至 2024年12月 重叠" in message
    assert Award.objects.filter(person=twin).count() == 1
    twin.refresh_from_db()
    assert twin.status == Status.ACTIVE
    assert DuplicatePair.objects.get().decision == DuplicatePair.Decision.OPEN
    assert not AuditEntry.objects.filter(action="registry.persons.merged").exists()


def test_awards_of_one_scheme_that_follow_each_other_merge(users, person, twin):
    _award(person, start=D(2024, 1, 1), end=D(2024, 5, 1))
    _award(twin, start=D(2024, 6, 1))
    persons_merge(user=users["reviewer"], pair=_pair(person, twin), kept=person)
    assert Award.objects.filter(person=person).count() == 2


def test_a_month_paid_to_both_refuses_the_merge_naming_it(users, person, twin):
    # Ended awards that do not overlap by their months, but one month paid to each.
    mine = _award(person, start=D(2024, 1, 1), end=D(2024, 1, 1))
    theirs = _award(twin, start=D(2024, 2, 1), end=D(2024, 2, 1))
    _paid(person, mine, D(2024, 1, 1), users["admin"])
    _paid(twin, theirs, D(2024, 1, 1), users["admin"])
    with pytest.raises(ValidationError, match="发放明细：两人都有补贴项目 困难残疾人生活补贴、月份 2024-01-01 的记录"):
        persons_merge(user=users["reviewer"], pair=_pair(person, twin), kept=person)
    assert PaymentMonth.objects.filter(person=twin).count() == 1


def test_a_town_officer_merges_two_persons_of_their_town(users, person, twin):
    persons_merge(user=users["officer"], pair=_pair(person, twin), kept=twin)
    person.refresh_from_db()
    assert (person.status, person.merged_into_id) == (Status.MERGED, twin.pk)


def test_a_town_officer_may_not_merge_persons_of_two_towns(users, person, areas):
    elsewhere = make_person(areas["hetang_a"], name=person.name, sequence=323)
    with pytest.raises(PermissionDenied, match="分属不同的镇（街）"):
        persons_merge(user=users["officer"], pair=_pair(person, elsewhere), kept=person)
    assert Person.objects.filter(status=Status.MERGED).count() == 0


def test_the_district_reviewer_merges_persons_of_two_towns(users, person, areas):
    elsewhere = make_person(areas["hetang_a"], name=person.name, sequence=323)
    persons_merge(user=users["reviewer"], pair=_pair(person, elsewhere), kept=person)
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.MERGED


def test_another_towns_officer_finds_no_such_pair(users, person, twin):
    with pytest.raises(Http404):
        persons_merge(user=users["other_officer"], pair=_pair(person, twin), kept=person)


def test_a_decided_pair_is_not_merged_again(users, person, twin):
    pair = _pair(person, twin)
    persons_merge(user=users["reviewer"], pair=pair, kept=person)
    with pytest.raises(ValidationError, match="已处理"):
        persons_merge(user=users["reviewer"], pair=pair, kept=person)


def test_a_merged_person_takes_no_more_status_events(users, person, twin):
    from registry.services import person_event_record

    persons_merge(user=users["reviewer"], pair=_pair(person, twin), kept=person)
    with pytest.raises(ValidationError, match="已作为重复登记合并"):
        person_event_record(user=users["officer"], person=twin, kind=EventKind.RESTORED, date=timezone.localdate())


def test_a_unique_rule_of_another_app_refuses_the_merge_and_nothing_moves(users, person, twin):
    from rehab.models import NeedAssessment

    for who in (person, twin):
        NeedAssessment.objects.create(
            person=who,
            area_code=who.area_id,
            year=2025,
            has_need=True,
            assessed_on=D(2025, 4, 1),
            assessed_by=users["admin"],
        )
    HomeVisit.objects.create(person=twin, area_code=twin.area_id, visited_on=D(2025, 6, 1), recorded_by=users["admin"])
    with pytest.raises(ValidationError, match="康复需求评估：两人都有年度 2025 的记录"):
        persons_merge(user=users["reviewer"], pair=_pair(person, twin), kept=person)
    assert HomeVisit.objects.get().person == twin
    assert NeedAssessment.objects.filter(person=twin).count() == 1

"""The service years are what the records add up to, whatever writes the records: the
service, a bulk insert, an update or a delete (the triggers of rehab 0004); and the needs
assessments' `basic_served` mark follows them (rehab 0008), on PostgreSQL and SQLite."""

import datetime
import importlib

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from rehab.models import NeedAssessment, ServiceRecord, ServiceYear
from rehab.services import need_assess, service_record_void

TODAY = datetime.date.today()


def _recount() -> set[tuple]:
    rows = (
        ServiceRecord.objects.annotate(year=ExtractYear("served_on"))
        .values("person_id", "year", "area_code")
        .annotate(records=Count("id"), sessions=Sum("sessions"))
    )
    return {(r["person_id"], r["year"], r["area_code"], r["records"], r["sessions"]) for r in rows}


def _kept() -> set[tuple]:
    return set(ServiceYear.objects.values_list("person_id", "year", "area_code", "records", "sessions"))


def test_records_through_the_service_are_counted_per_person_and_year(person, other_person, record_for, other_item):
    record_for(person, days_ago=0, sessions=4)
    record_for(person, days_ago=0, item=other_item, sessions=6)
    record_for(other_person, days_ago=0, by="other_officer", sessions=1)
    expected = {
        (person.pk, TODAY.year, person.area_id, 2, 10),
        (other_person.pk, TODAY.year, other_person.area_id, 1, 1),
    }
    assert _kept() == _recount() == expected


def test_bulk_inserts_updates_and_deletes_keep_them(users, person, other_person, item, provider, other_item):
    last_year = TODAY.replace(year=TODAY.year - 1, month=6, day=1)
    common = {"item": item, "provider": provider, "recorded_by": users["admin"], "sessions": 3}
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(person=person, area_code=person.area_id, served_on=last_year, **common),
            ServiceRecord(person=person, area_code=person.area_id, served_on=TODAY, **common),
            ServiceRecord(person=other_person, area_code=other_person.area_id, served_on=TODAY, **common),
        ]
    )
    assert len(_kept()) == 3 and _kept() == _recount()
    ServiceRecord.objects.filter(served_on=last_year).update(served_on=TODAY, item=other_item, sessions=5)
    assert _kept() == _recount() and (person.pk, TODAY.year, person.area_id, 2, 8) in _kept()
    ServiceRecord.objects.filter(person=other_person).delete()
    assert _kept() == _recount() and not ServiceYear.objects.filter(person=other_person).exists()
    ServiceRecord.objects.all().delete()
    assert not ServiceYear.objects.exists()


# The assessments' `basic_served` mark (rehab 0008): whether a service year of the person
# exists in the assessment's year, kept by triggers on both tables.


def _marks() -> dict[tuple[int, int], bool]:
    return dict(((a.person_id, a.year), a.basic_served) for a in NeedAssessment.objects.all())


def _assess(users, person, year: int, *, by: str = "officer", has_need: bool = True):
    return need_assess(
        user=users[by],
        person=person,
        year=year,
        has_need=has_need,
        kinds=["physical"] if has_need else [],
        assessed_on=TODAY if year == TODAY.year else datetime.date(year, 6, 1),
    )


def test_an_assessment_is_marked_served_by_a_service_of_its_year_before_or_after_it(
    users, person, other_person, record_for
):
    last_year = TODAY.year - 1
    _assess(users, person, TODAY.year)
    _assess(users, person, last_year)
    assert _marks() == {(person.pk, TODAY.year): False, (person.pk, last_year): False}
    record_for(person, days_ago=0)
    assert _marks() == {(person.pk, TODAY.year): True, (person.pk, last_year): False}
    # Served first, assessed after: the new row is marked as it is written.
    record_for(other_person, days_ago=0, by="other_officer")
    _assess(users, other_person, TODAY.year, by="other_officer")
    assert _marks()[other_person.pk, TODAY.year] is True
    # Saved again through the service (Django writes the field it loaded): still served.
    _assess(users, other_person, TODAY.year, by="other_officer", has_need=False)
    _assess(users, other_person, TODAY.year, by="other_officer")
    assert _marks()[other_person.pk, TODAY.year] is True
    # Whatever a statement writes into the mark, the service years decide it.
    NeedAssessment.objects.update(basic_served=False)
    assert _marks() == {
        (person.pk, TODAY.year): True,
        (person.pk, last_year): False,
        (other_person.pk, TODAY.year): True,
    }
    NeedAssessment.objects.update(basic_served=True)
    assert _marks()[person.pk, last_year] is False


def test_voids_moves_bulk_writes_and_deletes_of_records_keep_the_mark(
    users, person, other_person, record_for, item, provider
):
    _assess(users, person, TODAY.year)
    first = record_for(person, days_ago=0)
    second = record_for(person, days_ago=1)
    assert _marks()[person.pk, TODAY.year] is True
    service_record_void(user=users["officer"], record=first, reason="录错人")
    assert _marks()[person.pk, TODAY.year] is True  # the other record still serves
    service_record_void(user=users["officer"], record=second, reason="录错人")
    assert _marks()[person.pk, TODAY.year] is False
    # Records moved with the person to another community: the year's row changes key,
    # the person stays served.
    third = record_for(person, days_ago=2)
    ServiceRecord.objects.filter(pk=third.pk).update(area_code=other_person.area_id)
    assert ServiceYear.objects.get(person=person).area_code == other_person.area_id
    assert _marks()[person.pk, TODAY.year] is True
    # Moved to last year, then bulk inserted back, then all deleted.
    ServiceRecord.objects.filter(pk=third.pk).update(served_on=datetime.date(TODAY.year - 1, 6, 1))
    assert _marks()[person.pk, TODAY.year] is False
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                person=person, area_code=person.area_id, served_on=TODAY, item=item, provider=provider,
                recorded_by=users["admin"], sessions=2,
            )
        ]
    )  # fmt: skip
    assert _marks()[person.pk, TODAY.year] is True
    ServiceRecord.objects.all().delete()
    assert _marks() == {(person.pk, TODAY.year): False}


def test_the_migration_marks_the_assessments_already_there(users, person, record_for):
    """What 0008 runs once over the existing rows, before its triggers exist."""
    from django.db import connection

    migration = importlib.import_module("rehab.migrations.0008_assessment_served")
    _assess(users, person, TODAY.year)
    record_for(person, days_ago=0)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE rehab_needassessment SET basic_served = false")  # the trigger puts it back
    assert _marks()[person.pk, TODAY.year] is True

    class Editor:  # what the migration's functions use of a schema editor (SQLite's refuses a transaction)
        def __init__(self, cursor) -> None:
            self.connection, self.cursor = connection, cursor

        def execute(self, sql, params=None):
            self.cursor.execute(sql, params)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the deferred checks first: a trigger is dropped by ALTER TABLE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        migration.drop_triggers(None, Editor(cursor))
        NeedAssessment.objects.update(basic_served=False)
        assert _marks()[person.pk, TODAY.year] is False
        migration.create_triggers(None, Editor(cursor))
    assert _marks()[person.pk, TODAY.year] is True

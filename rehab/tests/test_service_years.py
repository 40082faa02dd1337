"""The service years are what the records add up to, whatever writes the records: the
service, a bulk insert, an update or a delete (the triggers of rehab 0004)."""

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from rehab.models import ServiceRecord, ServiceYear

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

"""The person's area is checked by the database (triggers of registry 0014, not a constraint):
no person names a missing area, and no area a person names is deleted or re-coded, whatever
writes the rows (the ORM, a bulk update, raw SQL)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from areas.models import Area, Level
from registry.models import Person
from registry.testing import make_certificate, make_id_number

MISSING = "440703999999"


def _person(area_id: str, sequence: int = 170) -> Person:
    number = make_id_number(sequence=sequence)
    return Person(
        name="甲",
        gender="M",
        id_number=number,
        birth_date=datetime.date(1980, 1, 1),
        certificate_number=make_certificate(number, 4, 2),
        category=4,
        grade=2,
        area_id=area_id,
    )


def _refused(statement) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        statement()


def test_a_person_of_a_missing_area_is_refused_by_every_kind_of_write(areas):
    _refused(lambda: _person(MISSING).save())
    _refused(lambda: Person.objects.bulk_create([_person(areas["baisha_a"].code, 171), _person(MISSING, 172)]))
    assert Person.objects.count() == 0

    person = _person(areas["baisha_a"].code)
    person.save()
    _refused(lambda: Person.objects.filter(pk=person.pk).update(area_id=MISSING))

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_person SET area_id = %s WHERE id = %s", [MISSING, person.pk])

    _refused(raw_update)
    person.refresh_from_db()
    assert person.area_id == areas["baisha_a"].code
    # A move to an existing area, and a change of other columns, pass.
    Person.objects.filter(pk=person.pk).update(area_id=areas["hetang_b"].code, name="乙")
    person.refresh_from_db()
    assert (person.area_id, person.name) == (areas["hetang_b"].code, "乙")


def test_an_area_a_person_names_is_neither_deleted_nor_recoded_and_others_are(areas):
    _person(areas["baisha_a"].code).save()

    def sql(statement, params):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(statement, params)

        return run

    code = areas["baisha_a"].code
    _refused(sql("DELETE FROM areas_area WHERE code = %s", [code]))
    _refused(sql("UPDATE areas_area SET code = %s WHERE code = %s", ["440703002099", code]))
    assert Area.objects.filter(code=code).exists()
    # Its other columns change; an area no person names goes.
    Area.objects.filter(code=code).update(name="紫沙社区（新）")
    unused = Area.objects.create(code="440703002098", name="新社区", level=Level.COMMUNITY, parent=areas["baisha"])
    sql("DELETE FROM areas_area WHERE code = %s", [unused.code])()
    assert not Area.objects.filter(code=unused.code).exists()

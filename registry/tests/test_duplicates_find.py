"""The duplicate check finds each reason by set-based SQL, keeps decisions across runs and
drops the open pairs it no longer finds. Also run on SQLite (the demo's database)."""

import datetime

import pytest
from django.utils import timezone

from conftest import make_person
from registry.duplicates import duplicates_find
from registry.models import DuplicatePair, DuplicateReason, Person, Status
from registry.testing import make_certificate, make_id_number


def _pairs() -> dict[tuple[int, int], int]:
    return dict(
        ((a, b), reasons) for a, b, reasons in DuplicatePair.objects.values_list("person_a", "person_b", "reasons")
    )


@pytest.fixture
def person(areas):
    return make_person(areas["baisha_a"], name="陈建国", address="")


def test_same_name_and_birth_date_with_another_id_is_a_pair(areas, person):
    # A wrong digit of the sequence: another valid number, the same person.
    twin = make_person(areas["baisha_b"], name="陈建国", sequence=125, address="")
    make_person(areas["baisha_b"], name="陈建国", birth="19800102", sequence=127, address="")
    make_person(areas["baisha_b"], name="陈建民", sequence=129, address="")
    found = duplicates_find()
    assert _pairs() == {(person.pk, twin.pk): DuplicateReason.NAME_BIRTH}
    assert (found.open, found.new, found.dropped) == (1, 1, 0)


def _on_certificate(area, certificate: str, *, name: str, sequence: int, category: int = 4) -> Person:
    """A person born 1975-05-05 whose certificate number is `certificate`, not their own."""
    return make_person(
        area, name=name, birth="19750505", sequence=sequence, category=category, grade=3, certificate_number=certificate
    )


def test_a_certificate_on_another_persons_id_is_a_pair(areas, person):
    # Registered again under another ID, the old certificate number copied over.
    other = _on_certificate(areas["baisha_b"], person.id_number + "43", name="陈健国", sequence=211)
    assert _pairs() == {} and duplicates_find().open == 1
    assert _pairs() == {(person.pk, other.pk): DuplicateReason.CERTIFICATE}


def test_two_certificates_on_one_base_are_a_pair(areas, person):
    base = make_id_number(birth="19750505", sequence=211)
    first = _on_certificate(areas["baisha_b"], make_certificate(base, 4, 3), name="李明", sequence=213)
    second = _on_certificate(areas["baisha_b"], make_certificate(base, 5, 3), name="李鸣", sequence=215, category=5)
    duplicates_find()
    assert _pairs() == {(first.pk, second.pk): DuplicateReason.CERTIFICATE}


def test_same_name_at_the_same_address_is_a_pair_and_reasons_add_up(areas):
    first = make_person(areas["baisha_a"], name="王芳", birth="19600101", sequence=122, address="白沙大道1号")
    second = make_person(areas["baisha_a"], name="王芳", birth="19620303", sequence=124, address="白沙大道1号")
    third = make_person(areas["baisha_a"], name="王芳", birth="19620303", sequence=126, address="白沙大道1号")
    make_person(areas["baisha_a"], name="王芳", birth="19700101", sequence=128, address="白沙大道2号")
    duplicates_find()
    address, both = DuplicateReason.ADDRESS_NAME, DuplicateReason.ADDRESS_NAME | DuplicateReason.NAME_BIRTH
    assert _pairs() == {(first.pk, second.pk): address, (first.pk, third.pk): address, (second.pk, third.pk): both}
    assert DuplicatePair.objects.get(person_a=second).reason_labels == [
        "姓名和出生日期相同，身份证号不同",
        "同一住址同名",
    ]


def test_a_pair_marked_not_a_duplicate_stays_so_and_is_not_listed_again(users, areas, person):
    from registry.duplicates import pair_dismiss

    twin = make_person(areas["baisha_b"], name="陈建国", sequence=125, address="")
    duplicates_find()
    pair_dismiss(user=users["officer"], pair=DuplicatePair.objects.get())
    found = duplicates_find()
    pair = DuplicatePair.objects.get()
    assert (pair.person_a_id, pair.person_b_id, pair.decision) == (person.pk, twin.pk, "not_duplicate")
    assert (found.open, found.new) == (0, 0)


def test_an_open_pair_no_longer_found_is_dropped_and_a_found_one_keeps_its_first_day(areas, person):
    twin = make_person(areas["baisha_b"], name="陈建国", sequence=125, address="")
    other = make_person(areas["baisha_b"], name="刘洋", birth="19900101", sequence=131, address="")
    make_person(areas["baisha_b"], name="刘洋", birth="19900101", sequence=133, address="")
    first_run = timezone.now() - datetime.timedelta(days=1)
    duplicates_find(now=first_run)
    Person.objects.filter(pk=other.pk).update(name="刘阳")
    found = duplicates_find()
    assert list(DuplicatePair.objects.values_list("person_a", "person_b")) == [(person.pk, twin.pk)]
    assert DuplicatePair.objects.get().found_at == first_run
    assert (found.open, found.new, found.dropped) == (1, 0, 1)


def test_merged_persons_are_left_out(areas, person):
    twin = make_person(areas["baisha_b"], name="陈建国", sequence=125, address="")
    Person.objects.filter(pk=twin.pk).update(status=Status.MERGED, status_date=timezone.localdate())
    assert duplicates_find().open == 0


def test_the_nightly_command_runs_the_check_and_audits_it(areas, person):
    from io import StringIO

    from django.core.management import call_command

    from canlian.models import AuditEntry

    make_person(areas["baisha_b"], name="陈建国", sequence=125, address="")
    out = StringIO()
    call_command("find_duplicates", stdout=out)
    assert "待核实 1 对，其中本次新发现 1 对" in out.getvalue()
    assert AuditEntry.objects.get(action="registry.duplicates.checked").data["open"] == 1

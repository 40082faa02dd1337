"""Registry writes refresh the indicators of other apps that read the registry's persons
(`Indicator.reads`): the family-doctor share (outreach) counts the active persons of each
town, so a death, a move (an approved change of area) and a merge change its base. Each
queues, on commit, the share's current month in the towns the write named (and the
district); the figures are then the full refresh's, which afterwards changes nothing."""

import datetime

import pytest
from django.utils import timezone

from benefits.models import Award, PaymentMonth, PayrollBatch, Scheme
from conftest import make_person
from outreach.models import FamilyDoctorContract
from registry.duplicates import persons_merge
from registry.models import DuplicatePair, EventKind, Status
from registry.services import person_event_record, person_update
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"
SHARE = "outreach_family_doctor_signed"


def signed(person, users):
    return FamilyDoctorContract.objects.create(
        person=person,
        area_code=person.area_id,
        institution="白沙街道社区卫生服务中心",
        signed_on=TODAY - datetime.timedelta(days=30),
        recorded_by=users["admin"],
    )


def figures() -> dict[str, tuple[int, int | None]]:
    rows = IndicatorValue.objects.filter(indicator=SHARE, year=TODAY.year, month=WHOLE_YEAR)
    return {v.area_code: (v.value, v.base) for v in rows}


def computed_at(area: str):
    return IndicatorValue.objects.get(indicator=SHARE, year=TODAY.year, month=WHOLE_YEAR, area_code=area).computed_at


def full_refresh_changes_nothing() -> None:
    done = indicators_refresh(year=TODAY.year, keys=[SHARE])
    assert [r.changed for r in done] == [0]


@pytest.fixture
def share(users, areas, person, other_person):
    """陈建国 (白沙) signed, 王未签 (白沙) and 李秀英 (荷塘) not: 白沙 1 of 2, 荷塘 0 of 1."""
    signed(person, users)
    unsigned = make_person(areas["baisha_b"], name="王未签", sequence=151)
    indicators_refresh(year=TODAY.year, keys=[SHARE])
    assert figures() == {BAISHA: (1, 2), HETANG: (0, 1), DISTRICT: (1, 3)}
    return unsigned


def test_a_death_makes_the_share_current_in_its_town_only(users, share, django_capture_on_commit_callbacks):
    hetang_before = computed_at(HETANG)
    with django_capture_on_commit_callbacks(execute=True):
        person_event_record(
            user=users["admin"], person=share, kind=EventKind.DEATH, date=TODAY - datetime.timedelta(days=2)
        )
    assert figures() == {BAISHA: (1, 1), HETANG: (0, 1), DISTRICT: (1, 2)}
    assert computed_at(HETANG) == hetang_before  # the death named 白沙 only
    full_refresh_changes_nothing()


def test_a_move_counts_the_person_in_the_new_town(users, areas, person, share, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]}, change_reason="变更申请")
    assert figures() == {BAISHA: (0, 1), HETANG: (1, 2), DISTRICT: (1, 3)}
    full_refresh_changes_nothing()


def test_a_merge_takes_the_merged_person_out_of_the_base(users, areas, share, django_capture_on_commit_callbacks):
    twin = make_person(areas["baisha_b"], name="王未签", sequence=152)
    indicators_refresh(year=TODAY.year, keys=[SHARE])
    assert figures()[BAISHA] == (1, 3)
    low, high = sorted((share, twin), key=lambda p: p.pk)
    now = timezone.now()
    pair = DuplicatePair.objects.create(person_a=low, person_b=high, reasons=1, found_at=now, seen_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        persons_merge(user=users["reviewer"], pair=pair, kept=share)
    assert figures() == {BAISHA: (1, 2), HETANG: (0, 1), DISTRICT: (1, 3)}
    full_refresh_changes_nothing()


def test_an_import_that_names_no_towns_refreshes_the_readers_whole(users, share, django_capture_on_commit_callbacks):
    """A sender that names no areas (a registry import): the reader's whole (current) year."""
    from canlian.signals import records_changed
    from registry.models import Person

    Person.objects.filter(pk=share.pk).update(status=Status.DECEASED, status_date=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        records_changed.send(sender=Person, source="registry")
    assert figures() == {BAISHA: (1, 1), HETANG: (0, 1), DISTRICT: (1, 2)}
    full_refresh_changes_nothing()


def test_a_merge_of_two_paid_registrations_is_one_recipient_of_the_year_paid(
    users, areas, person, django_capture_on_commit_callbacks
):
    """The merge moves the twin's paid line of a past year to the kept person: that year's
    recipients (a "payroll" indicator over the benefits app's lines) count one person."""
    year = TODAY.year - 1
    twin = make_person(areas["baisha_b"], name=person.name, sequence=321)
    living = Scheme.objects.get(code="living")
    for who, number in ((person, 1), (twin, 2)):
        paid = datetime.date(year, number, 1)
        award = Award.objects.create(
            person=who, scheme=living, area_code=who.area_id, start_month=paid, end_month=paid, source="import"
        )
        batch = PayrollBatch.objects.create(
            scheme=living, month=paid, prepared_by=users["admin"], state=PayrollBatch.State.APPROVED
        )
        PaymentMonth.objects.create(
            batch=batch, scheme=living, person=who, award=award, area_code=who.area_id, month=paid, amount_fen=21700
        )

    def recipients() -> int:
        return IndicatorValue.objects.get(
            indicator="living_recipients", year=year, month=WHOLE_YEAR, area_code=DISTRICT
        ).value

    indicators_refresh(year=year, keys=["living_recipients"])
    assert recipients() == 2
    low, high = sorted((person, twin), key=lambda p: p.pk)
    now = timezone.now()
    pair = DuplicatePair.objects.create(person_a=low, person_b=high, reasons=1, found_at=now, seen_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        persons_merge(user=users["reviewer"], pair=pair, kept=person)
    assert recipients() == 1
    assert [r.changed for r in indicators_refresh(year=year, keys=["living_recipients"])] == [0]

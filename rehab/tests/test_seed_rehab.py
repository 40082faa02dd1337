"""The demo's rehabilitation work (seed_rehab): every record and assessment is one the
services would have accepted, the figures look like a district's, and it runs once."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rehab.models import NeedAssessment, RehabItem, ServiceRecord
from rehab.selectors import town_figures
from rehab.services import check_day_of_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def run() -> str:
    out = StringIO()
    call_command("seed_rehab", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    call_command("seed_demo", "--persons", "600", stdout=StringIO())
    return run()


def test_the_catalogue_has_the_32_items_of_the_migration(db):
    assert RehabItem.objects.filter(is_active=True).count() == 32
    assert set(RehabItem.objects.values_list("kind", flat=True)) == {
        "physical",
        "mental",
        "visual",
        "hearing_speech",
        "intellectual",
        "autism",
        "assistive",
    }


def test_every_record_is_one_the_service_would_accept(seeded):
    records = list(ServiceRecord.objects.select_related("person", "item", "provider", "recorded_by"))
    assert records and "条服务记录" in seeded
    for record in records:
        check_day_of_person(record.person, record.served_on, "服务日期")  # raises if not
        assert record.area_code == record.person.area_id
        assert record.item.is_active and record.provider.is_active and record.sessions >= 1
        assert record.area_code.startswith(record.recorded_by.area.prefix)
    assert {r.served_on.year for r in records} == {TODAY.year - 1, TODAY.year} or TODAY.timetuple().tm_yday < 10


def test_assessments_are_consistent(seeded):
    assessments = list(NeedAssessment.objects.select_related("person"))
    assert assessments
    for a in assessments:
        assert a.assessed_on.year == a.year and bool(a.kinds) == a.has_need
        check_day_of_person(a.person, a.assessed_on, "评估日期")
    assert NeedAssessment.history.count() == len(assessments)


def test_the_figures_look_like_a_districts(seeded, db):
    from accounts.models import User

    _rows, total = town_figures(User.objects.get(username="leader"), TODAY.year - 1)
    # ~2,000 person-times a year for 9,100 persons: ~130 for 600.
    assert 60 <= total.person_times <= 250
    assert 80 <= total.coverage_percent <= 97


def test_a_second_run_changes_nothing(seeded):
    count = ServiceRecord.objects.count()
    assert "未重复生成" in run()
    assert ServiceRecord.objects.count() == count


def test_an_empty_registry_is_refused(db):
    with pytest.raises(CommandError, match="请先运行 seed_demo"):
        run()

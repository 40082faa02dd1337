"""The demo's employment records: the network's points, four courses with their
enrolments and completions, start-up households, employers and the partner county; a
second run changes nothing."""

from django.core.management import call_command

from conftest import make_person
from employment.models import Course, CourseEnrolment, PartnerDevice, ServicePoint, StartupState, StartupSupport


def test_seed_employment(users, areas):
    for n in range(60):
        make_person(areas["baisha_a" if n % 2 else "hetang_a"], name=f"人员{n}", birth="19850101", sequence=200 + n)
    call_command("seed_employment", seed=1)
    assert ServicePoint.objects.filter(level="point").count() >= 2
    assert Course.objects.count() == 4
    assert CourseEnrolment.objects.exists()
    # 60 persons are taken by the courses: the households need the demo's registry.
    assert not StartupSupport.objects.filter(state=StartupState.APPROVED).exists()
    assert PartnerDevice.objects.count() == 30
    enrolments = CourseEnrolment.objects.count()
    call_command("seed_employment", seed=1)
    assert CourseEnrolment.objects.count() == enrolments

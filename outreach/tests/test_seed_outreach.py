"""The demo's outreach work (seed_outreach): a year of visits to about 200 households, the
生活爱心包 half delivered, the watch list with some overdue; every record one the services
would have accepted, and it runs once."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from canlian.records import check_day_of_person
from outreach.models import (
    Campaign,
    CampaignDelivery,
    CampaignTarget,
    FamilyDoctorContract,
    HomeServiceRequest,
    HomeVisit,
    Lecture,
    LegalCase,
    PsychCase,
    PsychSession,
    WatchContact,
)
from outreach.watch import watch_counts
from registry.models import Person, Status

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def run() -> str:
    out = StringIO()
    call_command("seed_outreach", stdout=out)
    return out.getvalue()


def test_a_year_of_visits_to_about_200_households(db):
    call_command("seed_demo", "--persons", "1200", stdout=StringIO())
    out = run()
    visits = HomeVisit.objects.all()
    households = visits.values("person").distinct().count()
    assert 180 <= households <= 200 and visits.count() > households
    assert all(TODAY - datetime.timedelta(days=366) <= v.visited_on <= TODAY for v in visits)
    for visit in visits.select_related("person"):
        check_day_of_person(visit.person, visit.visited_on, "走访日期")
    assert "次走访" in out

    campaign = Campaign.objects.get()
    targets = CampaignTarget.objects.filter(campaign=campaign).count()
    delivered = CampaignDelivery.objects.filter(campaign=campaign)
    assert 0.4 < delivered.count() / targets < 0.6
    for d in delivered.select_related("person")[:300]:
        check_day_of_person(d.person, d.delivered_on, "发放日期")
        assert campaign.starts_on <= d.delivered_on <= TODAY

    admin = User.objects.get(username="admin")
    counts = watch_counts(admin)
    assert counts["total"] > 20 and 0 < counts["never"] < counts["overdue"] < counts["total"]
    assert WatchContact.objects.exists()
    assert LegalCase.objects.filter(protected=True).exists() and LegalCase.objects.filter(protected=False).exists()
    assert Lecture.objects.exists()
    # The health department's list, through the comparison: about 60% signed.
    active = Person.objects.filter(status=Status.ACTIVE).count()
    signed = FamilyDoctorContract.objects.standing().filter(ended_on=None).count()
    assert 0.55 < signed / active < 0.65
    assert FamilyDoctorContract.objects.filter(institution__endswith="社区卫生服务中心").exists()
    assert f"家庭医生签约 {signed} 人" in out
    services = HomeServiceRequest.objects.all()
    assert services.filter(done_on__isnull=True, due_on__lt=TODAY).exists()
    assert services.filter(satisfied=True).exists() and services.filter(done_on__isnull=False, satisfied=None).exists()
    for item in services.select_related("person"):
        check_day_of_person(item.person, item.requested_on, "申请日期")
    cases = PsychCase.objects.all()
    assert cases.filter(client_kind="person").count() >= 3 and cases.exclude(client_kind="person").exists()
    assert PsychSession.objects.filter(at_risk=True).exists()
    assert {c.counsellor.username for c in cases} == {"counsellor"}
    assert "上门服务" in out and "心理服务" in out
    # Once only.
    assert run() == "已有慰问关爱数据，未重复生成演示数据。\n"
    assert Campaign.objects.count() == 1

"""The demo's workshops (seed_workshops): the 杜阮 workshop and the 白沙 one with their
projects, a staff user each whose login is printed, members of the workshop's town, a year
of months within each membership and the rules of the month's page, sales by every channel
and a stock never below zero; and it runs once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from accounts.roles import Role
from conftest import kept_for_the_class
from workshops.models import Channel, Membership, Product, ProjectKind, Sale, WorkMonth, Workshop, month_end

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("seed_workshops", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The demo's registry and workshops, made once for the class's tests."""
    with kept_for_the_class(django_db_blocker):
        call_command("seed_demo", "--persons", "1200", stdout=StringIO())
        yield run()


class TestTheSeededWorkshops:
    """The tests that read the seeded demo (and leave it as they found it)."""

    def test_two_workshops_with_the_seeds_projects_and_a_staff_user_each(self, seeded):
        workshops = Workshop.objects.prefetch_related("staff", "projects").order_by("code")
        assert [w.name for w in workshops] == ["杜阮镇辅助性就业车间", "白沙街道辅助性就业车间"]
        kinds = {p.kind for w in workshops for p in w.projects.all()}
        assert kinds == {ProjectKind.VENDING, ProjectKind.CAFE, ProjectKind.BAKERY, ProjectKind.WORKSHOP}
        assert any("益杯咖啡" in p.name for w in workshops for p in w.projects.all())
        for w in workshops:
            (staff,) = w.staff.all()
            assert staff.role == Role.CENTRE_STAFF
            assert staff.username in seeded
            assert list(Workshop.objects.visible_to(staff)) == [w]

    def test_members_come_from_the_workshops_town_and_their_months_lie_within_membership(self, seeded):
        memberships = {(m.person_id, m.workshop_id): m for m in Membership.objects.select_related("workshop")}
        assert len(memberships) >= 20
        assert all(m.area_code[:9] == m.workshop.area_id[:9] for m in memberships.values())
        months = WorkMonth.objects.all()
        assert months.count() > 200
        for w in months:
            m = memberships[w.person_id, w.workshop_id]
            assert m.started_on <= month_end(w.month) and (m.ended_on is None or m.ended_on >= w.month)
            assert 0 <= w.work_days <= month_end(w.month).day

    def test_sales_by_every_channel_and_stock_never_negative(self, seeded):
        assert set(Sale.objects.values_list("channel", flat=True)) == set(Channel.values)
        assert Sale.objects.aggregate(s=Sum("amount_fen"))["s"] > 0
        assert not Product.objects.filter(stock__lt=0).exists()

    def test_a_second_run_adds_nothing_and_prints_the_logins(self, seeded):
        before = (Membership.objects.count(), WorkMonth.objects.count(), Sale.objects.count())
        again = run()
        assert "已有辅助性就业车间" in again and "cjduruan1" in again
        assert (Membership.objects.count(), WorkMonth.objects.count(), Sale.objects.count()) == before


def test_each_workshop_belongs_to_its_towns_urban_point_of_the_network():
    from areas.models import Area
    from employment.models import ServicePoint

    hub = ServicePoint.objects.get(code="JY00")
    for n, town in enumerate(("440703103000", "440703002000"), start=1):
        for digit, setting in ((1, "town"), (2, "countryside")):
            ServicePoint.objects.create(
                code=f"FW{n:02d}{digit}", name=f"服务点{n}{setting}", level="point", parent=hub,
                area=Area.objects.get(code=town), setting=setting,
            )  # fmt: skip
    call_command("seed_demo", "--persons", "1200", stdout=StringIO())
    run()
    points = dict(Workshop.objects.values_list("code", "service_point__code"))
    assert points == {"CJ0101": "FW011", "CJ0201": "FW021"}
    assert all(w.service_point_label.startswith("服务点") for w in Workshop.objects.select_related("service_point"))

"""The demo's year of activities (seed_activities): about thirty activities of every kind
and organiser, each participation and five-one one the services would have accepted, the
associations' members of their categories with one chair each, and it runs once."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from activities.models import (
    Activity,
    ActivityKind,
    FiveOne,
    FiveOneRecord,
    Membership,
    Organiser,
    Participation,
    Position,
)
from canlian.records import check_day_of_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def run() -> str:
    out = StringIO()
    call_command("seed_activities", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    call_command("seed_demo", "--persons", "600", stdout=StringIO())
    return run()


def test_a_year_of_activities_each_participation_one_the_services_would_accept(seeded):
    activities = list(Activity.objects.select_related("area", "association"))
    assert 28 <= len(activities) <= 34 and "项活动" in seeded
    assert set(ActivityKind.values) - {a.kind for a in activities} == {ActivityKind.OTHER}
    assert {a.organiser for a in activities} == set(Organiser.values)
    assert all(TODAY - datetime.timedelta(days=365) <= a.starts_on <= TODAY for a in activities)
    assert len({a.code for a in activities}) == len(activities)
    participations = list(Participation.objects.select_related("person", "activity__area", "activity__association"))
    assert len(participations) > 20 * len(activities) * 0.5
    for p in participations:
        check_day_of_person(p.person, p.attended_on, "参加日期")  # raises if not
        assert p.activity.starts_on <= p.attended_on <= p.activity.ends_on
        assert p.area_code == p.person.area_id and p.area_code.startswith(p.activity.area.prefix)
        if p.activity.association_id:
            assert p.person.category in (*p.activity.association.categories, 7)
        if p.activity.kind == ActivityKind.CHILDRENS_DAY:
            assert p.person.age_on(p.attended_on) < 18
    assert len({(p.person_id, p.activity_id) for p in participations}) == len(participations)


def test_the_five_ones_come_from_the_participations_and_some_did_all_five(seeded):
    records = list(FiveOneRecord.objects.select_related("person", "activity"))
    assert len({(r.person_id, r.year, r.item) for r in records}) == len(records)
    joined = set(Participation.objects.values_list("person", "activity"))
    for record in records:
        check_day_of_person(record.person, record.done_on, "完成日期")
        assert record.year == record.done_on.year
        if record.activity:
            assert (record.person_id, record.activity_id) in joined and record.activity.five_one == record.item
    per_person = Counter((r.person_id, r.year) for r in records)
    assert sum(1 for n in per_person.values() if n == len(FiveOne.values)) >= 20


def test_each_association_has_members_of_its_categories_and_one_chair(seeded):
    for association_id, chairs in Counter(
        Membership.objects.filter(position=Position.CHAIR).values_list("association", flat=True)
    ).items():
        assert chairs == 1, association_id
    for membership in Membership.objects.select_related("person", "association"):
        assert membership.person.category in membership.association.categories
        check_day_of_person(membership.person, membership.joined_on, "入会日期")
    assert Membership.objects.values("association").distinct().count() == 5


def test_it_runs_once_and_needs_a_registry(db):
    with pytest.raises(CommandError, match="请先运行 seed_demo"):
        run()
    call_command("seed_demo", "--persons", "200", stdout=StringIO())
    run()
    before = Activity.objects.count(), Participation.objects.count()
    assert "未重复生成" in run()
    assert (Activity.objects.count(), Participation.objects.count()) == before


def test_the_centres_open_days_name_the_demo_cares_centres(db):
    """With care's centres seeded first (the demo step runs after care), the two open days
    are linked to the first centre of 杜阮 and of 潮连; the centre page counts them."""
    from areas.models import Area
    from care.models import Institution

    call_command("seed_demo", "--persons", "200", stdout=StringIO())
    for code, town in (("KY0201", "440703103000"), ("KY0301", "440703005000")):
        Institution.objects.create(
            code=code, name=f"{code}康园中心", kind="centre", area=Area.objects.get(code=town), capacity=30
        )
    run()
    open_days = Activity.objects.filter(organiser=Organiser.CENTRE).select_related("centre")
    assert {(a.area_id, a.centre.code, a.centre_name) for a in open_days} == {
        ("440703103000", "KY0201", ""),
        ("440703005000", "KY0301", ""),
    }
    assert {a.organiser_label for a in open_days} == {"KY0201康园中心", "KY0301康园中心"}

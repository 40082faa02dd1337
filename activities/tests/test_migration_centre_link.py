"""activities 0003: a centre's activity, its centre text until then, becomes a link to the
care institution. A text that is the code or the name of a day-care centre of the
activity's town (or of the district itself) links it and is cleared; any other text — a
centre unknown, of another town, or an institution of another kind — stays, marked as not
linked. Unapplied, a linked centre's name goes back into the text.

The migration's functions run on today's tables, which have 0003's columns (as the
workshops' 0003 test does: migrating back and forth costs minutes)."""

import importlib

import pytest
from django.apps import apps

from activities.models import Activity
from care.models import InstitutionKind
from care.tests.conftest import make_centre

MIGRATION = importlib.import_module("activities.migrations.0003_activity_centre_link")


@pytest.mark.django_db
def test_texts_naming_a_centre_of_the_town_are_linked_and_the_others_kept(users, areas):
    make_centre(areas["baisha_a"], code="KY0101", name="白沙紫沙康园中心")
    make_centre(areas["hetang"], code="KY0501", name="荷塘塔岗康园中心")
    make_centre(areas["district"], code="KY9901", name="蓬江区康园中心")
    make_centre(areas["baisha"], code="GC0101", name="白沙庇护工场", kind=InstitutionKind.WORKSHOP)
    texts = {
        "HD20260001": ("baisha", " 白沙紫沙康园中心 "),  # the name, spaces around
        "HD20260002": ("baisha", "KY0101"),  # the code
        "HD20260003": ("baisha", "荷塘塔岗康园中心"),  # a centre of another town
        "HD20260004": ("baisha", "蓬江区康园中心"),  # the district's own centre
        "HD20260005": ("baisha", "白沙庇护工场"),  # not a day-care centre
        "HD20260006": ("baisha", "白沙老康园"),  # no such institution
    }
    for code, (town, text) in texts.items():
        Activity.objects.create(
            code=code,
            name=f"开放日{code}",
            kind="open_day",
            organiser="centre",
            centre_name=text,
            area=areas[town],
            starts_on="2026-05-10",
            ends_on="2026-05-10",
            place="中心",
            created_by=users["officer"],
        )
    MIGRATION.link(apps, None)

    linked = {a.code: (a.centre and a.centre.code, a.centre_name) for a in Activity.objects.select_related("centre")}
    assert linked == {
        "HD20260001": ("KY0101", ""),
        "HD20260002": ("KY0101", ""),
        "HD20260003": (None, "荷塘塔岗康园中心"),
        "HD20260004": ("KY9901", ""),
        "HD20260005": (None, "白沙庇护工场"),
        "HD20260006": (None, "白沙老康园"),
    }
    assert Activity.objects.get(code="HD20260006").organiser_label == "白沙老康园（未关联康园中心）"
    assert Activity.objects.get(code="HD20260002").organiser_label == "白沙紫沙康园中心"

    MIGRATION.unlink(apps, None)
    assert dict(Activity.objects.values_list("code", "centre_name")) == {
        "HD20260001": "白沙紫沙康园中心",
        "HD20260002": "白沙紫沙康园中心",
        "HD20260003": "荷塘塔岗康园中心",
        "HD20260004": "蓬江区康园中心",
        "HD20260005": "白沙庇护工场",
        "HD20260006": "白沙老康园",
    }

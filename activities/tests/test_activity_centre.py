"""A centre's activity names its centre (`Activity.centre`, a care institution), chosen from
the centres the user sees: the activity then belongs to the centre's town; a centre of
another town, a switched-off one or an institution that is not a day-care centre is refused
in Chinese, writing nothing. An activity registered before the link keeps its text, shown
marked, until someone picks the centre; the form offers the user's centres only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.forms import ActivityForm
from activities.models import Activity
from activities.services import ACTIVITY_FIELDS, activity_update
from care.models import InstitutionKind
from care.tests.conftest import make_centre

from .conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def centres(areas):
    """白沙's centre (in a community of the town), 荷塘's, and a 白沙 boarding institution."""
    return {
        "baisha": make_centre(areas["baisha_a"], code="KY0101", name="白沙紫沙康园中心"),
        "hetang": make_centre(areas["hetang"], code="KY0501", name="荷塘塔岗康园中心"),
        "boarding": make_centre(areas["baisha"], code="JS0101", name="白沙寄宿托养中心", kind=InstitutionKind.BOARDING),
    }


def centre_activity(make_activity, centre, **fields):
    values = {"name": "康园中心开放日", "kind": "open_day", "organiser": "centre", "centre": centre, "area": None}
    return make_activity(**{**values, **fields})


def test_a_centres_activity_belongs_to_the_centres_town_and_says_its_name(make_activity, areas, centres):
    activity = centre_activity(make_activity, centres["baisha"])
    assert activity.centre == centres["baisha"] and activity.area == areas["baisha"]
    assert activity.organiser_label == "白沙紫沙康园中心" and activity.centre_name == ""
    # Another organiser names no centre, whatever was sent.
    town = make_activity(centre=centres["baisha"])
    assert town.centre is None


@pytest.mark.parametrize(
    ("key", "by", "message"),
    [
        ("hetang", "officer", "不能选择该康园中心：该机构不在您的管辖范围内"),
        ("boarding", "admin", "白沙寄宿托养中心不是康园中心或日间托养机构"),
    ],
)
def test_a_centre_the_user_may_not_choose_is_refused_in_chinese(make_activity, centres, key, by, message):
    with pytest.raises(ValidationError, match=message):
        centre_activity(make_activity, centres[key], by=by)
    assert not Activity.objects.exists()


def test_a_switched_off_centre_takes_no_new_activity_but_keeps_its_own(make_activity, users, centres):
    centre = centres["baisha"]
    activity = centre_activity(make_activity, centre)
    centre.is_active = False
    centre.save()
    with pytest.raises(ValidationError, match="白沙紫沙康园中心已停用，不能主办新的活动"):
        centre_activity(make_activity, centre)
    fields = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    changed = activity_update(user=users["officer"], activity=activity, **{**fields, "place": "中心活动室"})
    assert changed.centre == centre and changed.place == "中心活动室"


def test_an_unlinked_text_is_kept_marked_until_a_centre_is_picked(make_activity, users, areas, centres):
    activity = make_activity(name="旧中心开放日", kind="open_day")
    # As migration 0003 leaves an activity whose text named no institution.
    Activity.objects.filter(pk=activity.pk).update(organiser="centre", centre_name="白沙老康园")
    activity.refresh_from_db()
    assert activity.organiser_label == "白沙老康园（未关联康园中心）"
    fields = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    kept = activity_update(user=users["officer"], activity=activity, **{**fields, "place": "白沙文化站二楼"})
    assert (kept.centre, kept.centre_name) == (None, "白沙老康园")
    linked = activity_update(user=users["officer"], activity=kept, **{**fields, "centre": centres["baisha"]})
    assert (linked.centre, linked.centre_name, linked.organiser_label) == (centres["baisha"], "", "白沙紫沙康园中心")


def test_the_form_offers_the_users_centres_by_name_and_refuses_another_in_chinese(users, centres):
    officer = ActivityForm(user=users["officer"])
    assert [label for _, label in officer.fields["centre"].choices] == ["请选择", "白沙紫沙康园中心"]
    admin = ActivityForm(user=users["admin"])
    assert [label for _, label in admin.fields["centre"].choices][1:] == ["白沙紫沙康园中心", "荷塘塔岗康园中心"]
    data = {
        "name": "开放日",
        "kind": "open_day",
        "organiser": "centre",
        "centre": centres["hetang"].pk,
        "starts_on": days_ago(3).isoformat(),
        "place": "中心",
    }
    form = ActivityForm(data, user=users["officer"])
    assert not form.is_valid()
    assert form.errors["centre"] == ["所选康园中心不存在或不在您的管辖范围内，请重新选择"]


def test_the_pages_register_a_centres_activity_and_link_the_centres_figures(client, users, areas, centres):
    client.force_login(users["officer"])
    data = {
        "name": "紫沙开放日",
        "kind": "open_day",
        "organiser": "centre",
        "centre": centres["baisha"].pk,
        "starts_on": days_ago(3).isoformat(),
        "place": "紫沙康园中心",
    }
    response = client.post(reverse("activities:activity_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get()
    assert (activity.centre, activity.area) == (centres["baisha"], areas["baisha"])
    page = client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert reverse("targets:centre", args=[centres["baisha"].pk]) in page and "白沙紫沙康园中心" in page
    edit = client.get(reverse("activities:activity_edit", args=[activity.pk]))
    assert edit.context["form"].initial["centre"] == centres["baisha"].pk


def test_the_districts_own_centre_runs_a_towns_activity_the_officer_names_and_edits(
    client, make_activity, users, areas, centres
):
    district_centre = make_centre(areas["district"], code="KY0001", name="蓬江区康园中心")
    form = ActivityForm(user=users["officer"])
    assert [label for _, label in form.fields["centre"].choices] == ["请选择", "蓬江区康园中心", "白沙紫沙康园中心"]
    activity = centre_activity(make_activity, district_centre, area=areas["baisha"])
    assert (activity.centre, activity.area) == (district_centre, areas["baisha"])
    # The officer corrects it, the district centre kept, though its page is not theirs.
    fields = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    changed = activity_update(user=users["officer"], activity=activity, **{**fields, "place": "白沙文化站"})
    assert (changed.centre, changed.place) == (district_centre, "白沙文化站")
    client.force_login(users["officer"])
    page = client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert "蓬江区康园中心" in page and reverse("targets:centre", args=[district_centre.pk]) not in page
    assert client.get(reverse("targets:centre", args=[district_centre.pk])).status_code == 404
    edit = ActivityForm(user=users["officer"], activity=changed)
    assert district_centre.pk in [pk for pk, _ in edit.fields["centre"].choices if pk]


def test_a_centre_of_a_retired_town_is_refused_with_what_to_correct(make_activity, areas, centres):
    areas["baisha"].is_active = False
    areas["baisha"].save()
    with pytest.raises(ValidationError, match="白沙紫沙康园中心所在的白沙街道已撤销"):
        centre_activity(make_activity, centres["baisha"], by="admin")
    assert not Activity.objects.exists()

"""The living-alone watch's on-time share (`outreach_watch_on_time`) reads the registry's
persons (`Indicator.reads`): an edit of a person's 独居 flag — by the service, the edit page
or the API's PATCH — queues, on commit, the share's refresh in the person's town, so the
dashboard's figure is current right after the edit, not after the nightly refresh. The
registry's own figures (which do not count the flag) are left alone, and an edit that
changes no field the share reads queues nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from outreach.watch import contact_record
from registry.services import person_update
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DISTRICT, BAISHA, HETANG = "440703000000", "440703002000", "440703102000"
SHARE = "outreach_watch_on_time"


def figures() -> dict[str, tuple[int, int | None]]:
    rows = IndicatorValue.objects.filter(indicator=SHARE, year=TODAY.year, month=WHOLE_YEAR)
    return {v.area_code: (v.value, v.base) for v in rows}


def computed_at(area: str):
    return IndicatorValue.objects.get(indicator=SHARE, year=TODAY.year, month=WHOLE_YEAR, area_code=area).computed_at


@pytest.fixture
def watch(users, areas, other_person):
    """白沙: 周老伯 lives alone, contacted three days ago (1 of 1); 荷塘: 李秀英, never (0 of 1)."""
    alone = make_person(areas["baisha_b"], name="周老伯", sequence=161, lives_alone=True)
    other_person.lives_alone = True
    other_person.save(update_fields=["lives_alone"])
    contact_record(user=users["officer"], person=alone, contacted_on=TODAY - datetime.timedelta(days=3), method="phone")
    indicators_refresh(year=TODAY.year, keys=[SHARE])
    assert figures() == {BAISHA: (1, 1), HETANG: (0, 1), DISTRICT: (1, 2)}
    return alone


def test_flagging_a_person_puts_them_in_the_share_of_their_town_at_once(
    users, person, watch, django_capture_on_commit_callbacks
):
    hetang_before = computed_at(HETANG)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person_update(user=users["officer"], person=person, data={"lives_alone": True})
    assert callbacks  # the refresh was queued on commit, not run inside the edit
    # 陈建国 joins the watch, never contacted: 白沙 1 of 2.
    assert figures() == {BAISHA: (1, 2), HETANG: (0, 1), DISTRICT: (1, 3)}
    assert computed_at(HETANG) == hetang_before  # the edit named 白沙 only
    assert [r.changed for r in indicators_refresh(year=TODAY.year, keys=[SHARE])] == [0]


def test_unflagging_takes_the_person_out_of_the_share(users, watch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person_update(user=users["officer"], person=watch, data={"lives_alone": False})
    # 白沙 has no one on the watch now: no figure (the dashboard shows "—").
    assert figures() == {HETANG: (0, 1), DISTRICT: (0, 1)}


def test_an_edit_of_another_field_queues_nothing(users, person, watch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person_update(user=users["officer"], person=person, data={"address": "白沙大道9号"})
    assert callbacks == []


def test_the_edit_page_flags_the_person_and_the_share_follows(
    client, users, person, watch, django_capture_on_commit_callbacks
):
    client.force_login(users["officer"])
    url = reverse("registry:person_edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["lives_alone"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.lives_alone
    assert figures()[BAISHA] == (1, 2)


def test_the_registrys_own_figures_are_not_recomputed_for_a_flag(
    users, person, watch, django_capture_on_commit_callbacks
):
    indicators_refresh(year=TODAY.year, keys=["certified_persons"])
    before = IndicatorValue.objects.get(
        indicator="certified_persons", year=TODAY.year, month=WHOLE_YEAR, area_code=BAISHA
    ).computed_at
    with django_capture_on_commit_callbacks(execute=True):
        person_update(user=users["officer"], person=person, data={"lives_alone": True})
    after = IndicatorValue.objects.get(
        indicator="certified_persons", year=TODAY.year, month=WHOLE_YEAR, area_code=BAISHA
    ).computed_at
    assert after == before


def test_a_reimport_that_flags_a_person_refreshes_the_share(
    users, areas, watch, tmp_path, django_capture_on_commit_callbacks
):
    """An import names no towns: the readers' whole (current) year, as after any import."""
    from registry.imports import persons_import
    from registry.tests.workbooks import person_row, write_workbook

    # The row's person (its ID number), registered and not living alone.
    make_person(areas["baisha_a"], name="王小明", birth="19700315", sequence=135)
    path = write_workbook(tmp_path / "名单.xlsx", [person_row(name="王小明", **{"是否独居": "是"})])
    with django_capture_on_commit_callbacks(execute=True):
        result = persons_import(user=users["officer"], path_or_file=path, source_name=path.name)
    assert result.updated == 1
    assert figures()[BAISHA] == (1, 2)


def test_a_grade_change_moves_the_persons_interval_at_once(users, areas, watch, django_capture_on_commit_callbacks):
    """A severe grade is contacted every 14 days (the watch rule), a milder one every 30: 吴阿婆,
    contacted 20 days ago at grade 2, is late, and on time once her grade is 3."""
    from registry.services import person_event_record

    late = make_person(areas["baisha_a"], name="吴阿婆", sequence=163, grade=2, lives_alone=True)
    contact_record(user=users["officer"], person=late, contacted_on=TODAY - datetime.timedelta(days=20), method="phone")
    indicators_refresh(year=TODAY.year, keys=[SHARE])
    assert figures()[BAISHA] == (1, 2)
    with django_capture_on_commit_callbacks(execute=True):
        person_event_record(user=users["officer"], person=late, kind="grade", date=TODAY, value=3)
    assert figures()[BAISHA] == (2, 2)
    assert [r.changed for r in indicators_refresh(year=TODAY.year, keys=[SHARE])] == [0]

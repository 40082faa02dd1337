"""The eligibility pages (资格比对): the three lists with their counts per town, their
exports, and what every role sees of which town."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from benefits import views_eligibility
from canlian.models import AuditEntry
from conftest import make_person
from registry.identifiers import mask_id
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date
URL = "benefits:eligibility"
MARCH = {"scheme": "living", "month": "2021-03"}


@pytest.fixture
def baisha_poor(areas):
    """Eligible for the living subsidy, receiving it."""
    return make_person(areas["baisha_a"], name="王低保", sequence=201, economic_status="dibao", grade=3)


@pytest.fixture
def baisha_unpaid(areas):
    """Eligible, no award: 应享未享."""
    return make_person(areas["baisha_b"], name="赵未享", sequence=203, economic_status="near_dibao", grade=4)


@pytest.fixture
def hetang_poor(areas):
    return make_person(areas["hetang_a"], name="李荷塘", sequence=202, economic_status="dibao", grade=4)


@pytest.fixture
def registry(users, living, baisha_poor, baisha_unpaid, hetang_poor, award_for):
    award_for(baisha_poor, living, "2021-01")
    award_for(hetang_poor, living, "2021-01")
    return {"baisha_poor": baisha_poor, "baisha_unpaid": baisha_unpaid, "hetang_poor": hetang_poor}


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _page(client, **params) -> str:
    return _html(client.get(reverse(URL), {**MARCH, **params}))


def _listed(html: str) -> str:
    return html[html.index('id="eligibility-list"') :]


def _rows(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


# The lists ------------------------------------------------------------------------------


def test_the_eligible_list_shows_everyone_eligible_in_the_month(login, users, registry):
    html = _listed(_page(login(users["admin"])))
    for person in registry.values():
        assert person.name in html and mask_id(person.id_number) in html and person.id_number not in html


def test_the_missing_list_shows_the_eligible_without_an_award(login, users, registry):
    html = _listed(_page(login(users["admin"]), list="missing"))
    assert registry["baisha_unpaid"].name in html
    assert registry["baisha_poor"].name not in html and registry["hetang_poor"].name not in html


@pytest.mark.parametrize(
    "kind, value, reason",
    [
        (EventKind.DEATH, None, "死亡"),
        (EventKind.MOVED_OUT, None, "迁出"),
        (EventKind.ECONOMIC, "none", "经济状况：无"),
        (EventKind.ECONOMIC, "tekun", "特困供养人员"),
        (EventKind.RENEWAL, "2021-02-20", "证件已过期"),
    ],
)
def test_the_wrong_list_shows_awards_of_the_ineligible_with_the_reason(login, users, registry, kind, value, reason):
    person = registry["baisha_poor"]
    person_event_record(user=users["admin"], person=person, kind=kind, date=D(2021, 2, 15), value=value)
    html = _listed(_page(login(users["admin"]), list="wrong"))
    assert person.name in html and reason in html and "2021-01" in html
    assert registry["hetang_poor"].name not in html
    # The event takes effect from the next month: in February the person is still eligible.
    html = _listed(_page(login(users["admin"]), list="wrong", month="2021-02"))
    assert person.name not in html


def test_the_wrong_list_of_the_nursing_subsidy_gives_the_grade(login, users, areas, nursing, award_for):
    severe = make_person(areas["baisha_a"], name="孙重度", sequence=207, grade=2, category=4)
    award_for(severe, nursing, "2021-01")
    person_event_record(user=users["admin"], person=severe, kind=EventKind.GRADE, date=D(2021, 1, 31), value="3")
    html = _listed(_page(login(users["admin"]), scheme="nursing", month="2021-02", list="wrong"))
    assert severe.name in html and "等级：非重度且非智力/精神残疾" in html and "三级" in html


def test_counts_per_town_are_shown_on_top(login, users, registry):
    html = _page(login(users["admin"]))
    counts = html[html.index('id="town-counts"') : html.index("</table>", html.index('id="town-counts"'))]
    assert '<th scope="row">白沙街道</th><td class="text-end">2</td><td class="text-end">1</td>' in counts
    assert '<th scope="row">荷塘镇</th><td class="text-end">1</td><td class="text-end">0</td>' in counts
    assert (
        '<th scope="row">合计</th><td class="text-end">3</td><td class="text-end">1</td><td class="text-end">0</td>'
        in counts
    )


def test_the_town_filter_narrows_the_list(login, users, registry, areas):
    html = _listed(_page(login(users["admin"]), town=areas["hetang"].code))
    assert registry["hetang_poor"].name in html and registry["baisha_poor"].name not in html


def test_the_list_is_paginated(login, users, registry, monkeypatch):
    monkeypatch.setattr(views_eligibility, "PAGE_SIZE", 2)
    client = login(users["admin"])
    first, second = _page(client), _page(client, page=2)
    assert "共 3 人，第 1/2 页" in first and "第 2/2 页" in second
    assert registry["hetang_poor"].name in _listed(second) and registry["hetang_poor"].name not in _listed(first)


def test_a_month_that_cannot_be_read_falls_back_to_this_month_and_says_so(login, users, registry):
    html = _page(login(users["admin"]), month="2021-13")
    assert "月份不存在" in html and f'value="{datetime.date.today():%Y-%m}"' in html


# Scoping matrix -------------------------------------------------------------------------


def test_the_officer_of_a_town_sees_their_town_only(login, users, registry):
    html = _page(login(users["officer"]))
    assert registry["baisha_poor"].name in html and registry["baisha_unpaid"].name in html
    assert registry["hetang_poor"].name not in html and "荷塘镇" not in html


def test_another_towns_officer_sees_none_of_them(login, users, registry):
    client = login(users["other_officer"])
    for which in ("eligible", "missing", "wrong"):
        html = _page(client, list=which)
        assert registry["baisha_poor"].name not in html and registry["baisha_unpaid"].name not in html
        assert "白沙街道" not in html


def test_an_officer_cannot_filter_on_another_town(login, users, registry, areas):
    html = _page(login(users["officer"]), town=areas["hetang"].code)
    assert registry["hetang_poor"].name not in html and registry["baisha_poor"].name in html


@pytest.mark.parametrize("role", ["leader", "centre"])
def test_users_without_the_eligibility_permission_get_403(login, users, registry, role):
    client = login(users[role])
    assert client.get(reverse(URL), MARCH).status_code == 403
    assert client.get(reverse("benefits:eligibility_export"), MARCH).status_code == 403


# Exports --------------------------------------------------------------------------------


def test_the_export_has_the_list_with_masked_ids_and_is_logged(login, users, registry):
    response = login(users["officer"]).get(reverse("benefits:eligibility_export"), {**MARCH, "list": "eligible"})
    rows = _rows(response)
    assert rows[0][:4] == ["镇街", "村居", "姓名", "公民身份号码"]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("白沙街道", registry["baisha_poor"].name, mask_id(registry["baisha_poor"].id_number)),
        ("白沙街道", registry["baisha_unpaid"].name, mask_id(registry["baisha_unpaid"].id_number)),
    ]
    log = AuditEntry.objects.get(action="benefits.export")
    assert log.user == users["officer"] and log.action == "benefits.export"
    assert log.data["rows"] == 2 and log.data["revealed"] is False
    assert log.data["filters"]["list"] == "eligible" and log.data["filters"]["month"] == "2021-03"


def test_the_export_reveals_ids_only_on_request(login, users, registry):
    client = login(users["officer"])
    rows = _rows(client.get(reverse("benefits:eligibility_export"), {**MARCH, "reveal": "1"}))
    assert rows[1][3] == registry["baisha_poor"].id_number
    assert AuditEntry.objects.get(action="benefits.export").data["revealed"] is True


def test_the_wrong_list_export_has_the_award_start_and_the_reason(login, users, registry):
    person = registry["hetang_poor"]
    person_event_record(user=users["admin"], person=person, kind=EventKind.DEATH, date=D(2021, 2, 1))
    response = login(users["admin"]).get(reverse("benefits:eligibility_export"), {**MARCH, "list": "wrong"})
    rows = _rows(response)
    assert rows[0][-2:] == ["享受起始月份", "不符合原因"]
    assert [(r[2], r[7], r[8], r[9]) for r in rows[1:]] == [(person.name, "死亡", "2021-01", "死亡")]
    assert response["Content-Disposition"].endswith('.xlsx"') or ".xlsx" in response["Content-Disposition"]


def test_the_export_of_another_towns_officer_has_none_of_this_town(login, users, registry):
    rows = _rows(login(users["other_officer"]).get(reverse("benefits:eligibility_export"), MARCH))
    names = [r[2] for r in rows[1:]]
    assert names == [registry["hetang_poor"].name]


def test_an_eligibility_list_longer_than_a_worksheet_is_refused(login, users, registry, monkeypatch):
    monkeypatch.setattr("canlian.workbooks.MAX_ROWS", 2)
    response = login(users["officer"]).get(reverse("benefits:eligibility_export"), {**MARCH, "list": "eligible"})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="benefits.export").exists()

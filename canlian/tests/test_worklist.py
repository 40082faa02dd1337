"""The work list as a page (我的待办): the home page of every role with some kind of work, the
counts of each kind at the top (each a link to that kind alone), the lines overdue first
and a page at a time, the empty state, and a number of statements that does not grow with
the data. The kinds themselves are tested in their apps (test_worklist_*.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits.models import Application, Scheme
from canlian import declarations, worklist
from canlian.declarations import AppDeclaration, WorkItemKind, WorkItems, WorkLine
from canlian.worklist import PAGE_SIZE, Worklist
from conftest import make_person
from registry.models import Person

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def items(areas, users, count: int, *, area="baisha_a", first_sequence=200):
    """`count` persons of the area, each with three lines whose dates due interleave: a
    certificate ending, a living-subsidy application waiting for the town's first review
    and a nursing-subsidy notice ended, all overdue by 1 to 3 × count days."""
    living, nursing = Scheme.objects.get(code="living"), Scheme.objects.get(code="nursing")
    persons = []
    for i in range(count):
        person = make_person(
            areas[area],
            name=f"待办{first_sequence + i}",
            sequence=first_sequence + i,
            certificate_valid_until=TODAY - (3 * i + 1) * DAY,
        )
        common = {"person": person, "area_code": person.area_id, "applicant": "self", "submitted_by": users["admin"]}
        Application.objects.create(scheme=living, applied_on=TODAY - (3 * i + 12) * DAY, **common)
        Application.objects.create(
            scheme=nursing,
            applied_on=TODAY - (3 * i + 30) * DAY,
            state=Application.State.NOTICE,
            notice_from=TODAY - (3 * i + 10) * DAY,
            notice_until=TODAY - (3 * i + 3) * DAY,
            **common,
        )
        persons.append(person)
    return persons


def page_text(client, url: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(url).content.decode()))


# Home --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["officer", "other_officer", "admin", "reviewer", "centre"])
def test_a_role_with_work_starts_on_its_work_list(login, users, key):
    response = login(users[key]).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("worklist:list")


@pytest.mark.parametrize(
    ("key", "start"),
    [("leader", "registry:person_list"), ("auditor", "audit:entry_list")],
)
def test_a_role_without_any_kind_of_work_keeps_its_start_page(login, users, key, start):
    client = login(users[key])
    assert client.get(reverse("home")).url == reverse(start)
    assert client.get(reverse("worklist:list")).status_code == 403


def test_the_work_list_is_in_the_menu_of_those_who_have_one(login, users):
    assert 'href="/work/"' in login(users["officer"]).get(reverse("registry:person_list")).content.decode()
    assert 'href="/work/"' not in login(users["leader"]).get(reverse("registry:person_list")).content.decode()


# Counts and lines ------------------------------------------------------------------------------


def test_the_counts_of_each_kind_match_its_lines_and_link_to_them(login, areas, users):
    items(areas, users, 4)
    items(areas, users, 2, area="hetang_a", first_sequence=300)
    client = login(users["officer"])
    work = Worklist(users["officer"], TODAY)
    counts = {c.kind.key: (c.total, c.overdue) for c in work.counts}
    assert counts == {
        "town_review": (4, 4),
        "notice_ended": (4, 4),
        "certificate_renewal": (4, 4),
        "duplicates": (0, 0),
        "rehab_unserved": (0, 0),
        "visit_follow_up": (0, 0),
        "need_open": (0, 0),
        "watch_contact": (0, 0),
        "care_follow_up_high": (0, 0),
        "care_follow_up": (0, 0),
        "home_service": (0, 0),
        "startup_followup_6": (0, 0),
        "startup_followup_12": (0, 0),
    }
    text = page_text(client, reverse("worklist:list"))
    assert (
        "全部待办 12 项" in text
        and "补贴申请待初审 4 项 其中逾期 4 项" in text
        and "康复需求未服务 0 项 无逾期" in text
    )
    html = client.get(reverse("worklist:list")).content.decode()
    for key in counts:
        assert f'href="{reverse("worklist:kind", args=[key])}"' in html
    for key, (total, _overdue) in counts.items():
        lines = Worklist(users["officer"], TODAY, only=key).page_rows(0, 100)
        assert len(lines) == total and {line.kind.key for line in lines} <= {key}
        names = {line.person.name for line in lines}
        assert not any(name.startswith("待办3") for name in names)  # the other town's


def test_a_kinds_page_shows_that_kind_alone_and_marks_itself_current(login, areas, users):
    items(areas, users, 3)
    html = login(users["officer"]).get(reverse("worklist:kind", args=["certificate_renewal"])).content.decode()
    assert html.count("需办理换证") == 3 and "待初审" not in html.split("<tbody>")[1]
    assert 'aria-current="page">\n      <span class="d-block small">证件到期换证' in html
    assert '<h1 class="h3 mb-1">我的待办：证件到期换证</h1>' in html


def test_the_overdue_come_first_the_longest_overdue_at_the_top_then_today_then_the_rest(areas, users):
    make_person(areas["baisha_a"], name="今天", sequence=401, certificate_valid_until=TODAY)
    make_person(areas["baisha_a"], name="下月", sequence=403, certificate_valid_until=TODAY + 30 * DAY)
    make_person(areas["baisha_a"], name="上周", sequence=405, certificate_valid_until=TODAY - 7 * DAY)
    make_person(areas["baisha_a"], name="明天", sequence=407, certificate_valid_until=TODAY + DAY)
    person = make_person(areas["baisha_a"], name="去年", sequence=409)
    living = Scheme.objects.get(code="living")
    Application.objects.create(
        person=person,
        scheme=living,
        area_code=person.area_id,
        applied_on=TODAY - 400 * DAY,
        applicant="self",
        submitted_by=users["admin"],
    )
    lines = Worklist(users["officer"], TODAY).page_rows(0, 100)
    assert [(line.person.name, line.overdue, line.days) for line in lines] == [
        ("去年", True, -390),
        ("上周", True, -7),
        ("今天", False, 0),
        ("明天", False, 1),
        ("下月", False, 30),
    ]


def test_the_page_shows_the_state_of_each_line_in_words(login, areas, users):
    make_person(areas["baisha_a"], name="上周", sequence=405, certificate_valid_until=TODAY - 7 * DAY)
    make_person(areas["baisha_a"], name="今天", sequence=401, certificate_valid_until=TODAY)
    make_person(areas["baisha_a"], name="下月", sequence=403, certificate_valid_until=TODAY + 30 * DAY)
    text = page_text(login(users["officer"]), reverse("worklist:list"))
    assert "共 3 项，其中逾期 1 项" in text
    assert text.index("逾期 7 天") < text.index("今天到期") < text.index("还有 30 天")


def test_the_lines_come_a_page_at_a_time(login, areas, users):
    items(areas, users, 20)  # 60 lines
    client = login(users["officer"])
    first = Worklist(users["officer"], TODAY).page_rows(0, PAGE_SIZE)
    second = Worklist(users["officer"], TODAY).page_rows(PAGE_SIZE, 2 * PAGE_SIZE)
    assert len(first) == PAGE_SIZE and len(second) == 10
    assert first[-1].due <= second[0].due
    everything = [(r.kind.key, r.line.url) for r in first + second]
    assert len(set(everything)) == 60
    text = page_text(client, reverse("worklist:list") + "?page=2")
    assert "共 60 项，其中逾期 60 项，第 2/2 页" in text
    assert len(re.findall(r"逾期 \d+ 天", text)) == 10


def test_an_empty_list_says_so(login, users):
    client = login(users["officer"])
    assert "目前没有待办事项。" in page_text(client, reverse("worklist:list"))
    text = page_text(client, reverse("worklist:kind", args=["certificate_renewal"]))
    assert "目前没有证件到期换证的待办事项。" in text


def test_an_unknown_kind_is_not_found_and_another_roles_kind_is_refused(login, users):
    client = login(users["officer"])
    assert client.get(reverse("worklist:kind", args=["no-such-kind"])).status_code == 404
    response = client.get(reverse("worklist:kind", args=["batch_approval"]))
    assert response.status_code == 403 and "您没有办理此类事项的权限" in response.content.decode()


# Statements ---------------------------------------------------------------------------------


def statements(client, url: str) -> int:
    client.get(url)  # sessions, permissions and templates read once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_asks_the_same_statements_for_2_and_for_40_persons_a_kind(login, areas, users):
    client = login(users["officer"])
    urls = [reverse("worklist:list"), *(reverse("worklist:kind", args=[k]) for k in ("town_review", "rehab_unserved"))]
    items(areas, users, 2)
    small = [statements(client, url) for url in urls]
    kinds_small = {line.kind.key for line in Worklist(users["officer"], TODAY).page_rows(0, PAGE_SIZE)}
    items(areas, users, 38, first_sequence=300)
    large = [statements(client, url) for url in urls]
    kinds_large = {line.kind.key for line in Worklist(users["officer"], TODAY).page_rows(0, PAGE_SIZE)}
    assert kinds_small == kinds_large == {"town_review", "notice_ended", "certificate_renewal"}
    assert large == small
    # Counts, the page's keys, and one read per kind on it, besides the session's.
    assert small[0] - small[1] == 2


def test_the_counts_are_one_statement_and_a_page_one_more_and_one_per_kind_on_it(areas, users):
    items(areas, users, 5)
    work = Worklist(users["officer"], TODAY)
    with CaptureQueriesContext(connection) as captured:
        assert work.total == 15
        lines = work.page_rows(0, PAGE_SIZE)
        for line in lines:
            assert line.person.name and line.person.area.name
    assert len(captured) == 1 + 1 + 3


def test_a_page_of_several_kinds_asks_a_fixed_number_of_statements(login, areas, users, django_assert_num_queries):
    client = login(users["officer"])
    items(areas, users, 3)
    url = reverse("worklist:list")
    client.get(url)
    kinds = {line.kind.key for line in Worklist(users["officer"], TODAY).page_rows(0, PAGE_SIZE)}
    assert kinds == {"town_review", "notice_ended", "certificate_renewal"}
    # The session, the user, their two permission reads and their area (5); the watch
    # rule, which the home visits' kind reads when it makes its items (1); the counts, the
    # page's keys and one read per kind on it (1 + 1 + 3); the session is not written again
    # within the minute of the sign-in.
    with django_assert_num_queries(5 + 1 + 1 + 1 + 3):
        assert client.get(url).status_code == 200


def test_the_users_kinds_are_worked_out_once_a_request(login, users, monkeypatch):
    """The navigation's 我的待办 entry and the page both ask which kinds the user has."""
    client = login(users["officer"])
    asked = []

    def counting(user, permission):
        asked.append(permission)
        return declarations.permitted(user, permission)

    monkeypatch.setattr(worklist, "permitted", counting)
    assert client.get(reverse("worklist:list")).status_code == 200
    assert len(asked) == len(declarations.work_kinds())


# A new app's kind ------------------------------------------------------------------------------


def test_a_new_apps_kind_joins_the_counts_and_the_order_without_any_other_file(monkeypatch, areas, users):
    """An app (outreach, say) declares a kind; its lines interleave with the others' by date
    due and its count joins the counts' one statement."""
    make_person(areas["baisha_a"], name="续证", sequence=501, certificate_valid_until=TODAY + 5 * DAY)
    alone = make_person(areas["baisha_a"], name="独居", sequence=503, lives_alone=True)
    make_person(areas["hetang_a"], name="他镇独居", sequence=505, lives_alone=True)

    def visits(user, today):
        return WorkItems(
            rows=Person.objects.visible_to(user).filter(lives_alone=True),
            due=declarations_value(today + 2 * DAY),
            line=lambda p: WorkLine("独居人员待走访", f"/persons/{p.pk}/", p),
            related=("area",),
        )

    kind = WorkItemKind("watch_visit", "独居探访", 900, "registry.view_person", visits)
    monkeypatch.setattr(
        declarations, "_registry", {**declarations.declarations(), "outreach": AppDeclaration(worklist=(kind,))}
    )
    work = Worklist(users["officer"], TODAY)
    # After every kind of a lower order: 900 is past every app's.
    assert [c.kind.key for c in work.counts][-1] == "watch_visit"
    assert {c.kind.key: c.total for c in work.counts}["watch_visit"] == 1
    assert [(line.person.name, line.kind.label) for line in work.page_rows(0, 10)] == [
        ("独居", "独居探访"),
        ("续证", "证件到期换证"),
    ]
    assert work.page_rows(0, 10)[0].line.url == f"/persons/{alone.pk}/"


def declarations_value(day: datetime.date):
    from django.db.models import DateField, Value

    return Value(day, output_field=DateField())


def test_a_kind_declared_twice_is_refused(monkeypatch):
    kind = WorkItemKind("town_review", "重复", 1, None, lambda user, today: None)
    monkeypatch.setattr(
        declarations, "_registry", {**declarations.declarations(), "copy": AppDeclaration(worklist=(kind,))}
    )
    with pytest.raises(ValueError, match="town_review"):
        declarations.work_kinds()

"""Certificates due for renewal on the work list: an active person's certificate whose
validity ends within the next 60 days, or has ended (overdue), for whoever registers
renewals in that person's town — never a long-term certificate, never an inactive person."""

import datetime

from django.urls import reverse

from canlian.worklist import Worklist
from conftest import make_person

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def rows(user):
    work = Worklist(user, TODAY, only="certificate_renewal")
    return work, work.page_rows(0, 100)


def renewal_count(work) -> tuple[int, int]:
    return next((c.total, c.overdue) for c in work.counts if c.kind.key == "certificate_renewal")


def test_certificates_ending_within_sixty_days_or_ended_are_due_for_renewal_in_their_town(areas, users, settings):
    settings.CERTIFICATE_RENEWAL_DAYS = 60
    soon = make_person(areas["baisha_a"], name="陈建国", sequence=101, certificate_valid_until=TODAY + 60 * DAY)
    ended = make_person(areas["baisha_b"], name="王丽", sequence=102, certificate_valid_until=TODAY - 3 * DAY)
    make_person(areas["baisha_a"], name="赵远", sequence=103, certificate_valid_until=TODAY + 61 * DAY)
    make_person(areas["baisha_a"], name="钱长", sequence=105, certificate_valid_until=None)  # long-term
    make_person(
        areas["baisha_a"],
        name="孙故",
        sequence=107,
        certificate_valid_until=TODAY - DAY,
        status="deceased",
        status_date=TODAY - 10 * DAY,
    )
    other = make_person(areas["hetang_a"], name="李秀英", sequence=109, certificate_valid_until=TODAY + 5 * DAY)

    work, lines = rows(users["officer"])
    assert [(r.person.name, r.due, r.overdue) for r in lines] == [
        ("王丽", ended.certificate_valid_until, True),
        ("陈建国", soon.certificate_valid_until, False),
    ]
    assert renewal_count(work) == (2, 1)
    assert lines[0].line.url == reverse("registry:person_detail", args=[ended.pk]) + "#event-form"
    assert lines[0].line.description == f"二级肢体残疾人证有效期至 {ended.certificate_valid_until:%Y-%m-%d}，需办理换证"
    assert lines[0].person.area.name == "丰乐社区"

    work, lines = rows(users["other_officer"])
    assert [r.person.name for r in lines] == ["李秀英"] and renewal_count(work) == (1, 0)
    assert lines[0].line.url == reverse("registry:person_detail", args=[other.pk]) + "#event-form"

    work, lines = rows(users["admin"])
    assert [r.person.name for r in lines] == ["王丽", "李秀英", "陈建国"] and renewal_count(work) == (3, 1)


def test_the_renewal_window_is_a_setting(areas, users, settings):
    make_person(areas["baisha_a"], sequence=111, certificate_valid_until=TODAY + 80 * DAY)
    settings.CERTIFICATE_RENEWAL_DAYS = 60
    assert rows(users["officer"])[1] == []
    settings.CERTIFICATE_RENEWAL_DAYS = 90
    assert len(rows(users["officer"])[1]) == 1


def test_a_renewal_registered_takes_the_person_off_the_list(areas, users):
    from registry.services import person_event_record

    person = make_person(areas["baisha_a"], sequence=113, certificate_valid_until=TODAY + 10 * DAY)
    assert len(rows(users["officer"])[1]) == 1
    person_event_record(
        user=users["officer"], person=person, kind="renewal", date=TODAY, value=str(TODAY.replace(year=TODAY.year + 10))
    )
    assert rows(users["officer"])[1] == []


def test_roles_who_do_not_register_renewals_have_no_such_lines(users):
    for key in ("reviewer", "centre", "leader", "auditor"):
        assert "certificate_renewal" not in {k.key for k in Worklist(users[key], TODAY).kinds}, key

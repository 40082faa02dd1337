"""The benefits lines of the work list: applications waiting for the town's first review, notices
that have ended, applications waiting for the district's decision and draft batches waiting
for approval — each for the user whose step it is, in their scope, and only there."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from benefits.models import Application, PayrollBatch
from benefits.services import application_end_notice, application_submit, application_town_review
from canlian.worklist import Worklist

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def submit(users, person, scheme, *, days_ago: int):
    officer = users["officer"] if person.area_id.startswith("440703002") else users["other_officer"]
    return application_submit(
        user=officer, person=person, scheme=scheme, applied_on=TODAY - days_ago * DAY, applicant="self"
    )


def to_notice(users, person, scheme, *, started_days_ago: int):
    application = submit(users, person, scheme, days_ago=started_days_ago + 1)
    return application_town_review(
        user=users["officer"] if person.area_id.startswith("440703002") else users["other_officer"],
        application=application,
        approve=True,
        today=TODAY - started_days_ago * DAY,
    )


def to_district(users, person, scheme, *, notice_ended_days_ago: int):
    application = to_notice(users, person, scheme, started_days_ago=notice_ended_days_ago + scheme.notice_days)
    officer = application.town_reviewed_by
    return application_end_notice(user=officer, application=application, today=TODAY)


def lines(user, kind=None):
    work = Worklist(user, TODAY, only=kind)
    return work, work.page_rows(0, 100)


def counts(work) -> dict[str, tuple[int, int]]:
    return {c.kind.key: (c.total, c.overdue) for c in work.counts}


def test_an_application_waits_for_its_towns_first_review_due_ten_days_after_it_was_taken(
    users, person, other_person, living, settings
):
    settings.BENEFITS_TOWN_REVIEW_DAYS = 10
    late = submit(users, person, living, days_ago=15)
    other = submit(users, other_person, living, days_ago=1)
    work, rows = lines(users["officer"], "town_review")
    assert [(r.line.url, r.due, r.overdue, r.days) for r in rows] == [
        (reverse("benefits:application_detail", args=[late.pk]), TODAY - 5 * DAY, True, -5)
    ]
    assert rows[0].person.name == "陈建国" and "困难残疾人生活补贴申请待初审" in rows[0].line.description
    assert counts(work)["town_review"] == (1, 1)
    work, rows = lines(users["other_officer"], "town_review")
    assert [r.line.url for r in rows] == [reverse("benefits:application_detail", args=[other.pk])]
    assert not rows[0].overdue and rows[0].days == 9
    assert counts(work)["town_review"] == (1, 0)


def test_a_reviewed_or_returned_application_leaves_the_town_review_lines(users, person, living, nursing):
    application = submit(users, person, living, days_ago=3)
    returned = submit(users, person, nursing, days_ago=3)
    application_town_review(user=users["officer"], application=returned, approve=False, reason="材料不全")
    application_town_review(user=users["officer"], application=application, approve=True)
    work, rows = lines(users["officer"], "town_review")
    assert rows == [] and counts(work)["town_review"] == (0, 0)


def test_a_notice_that_has_run_its_days_waits_for_the_town_and_one_still_running_does_not(
    users, person, other_person, living, nursing
):
    ended = to_notice(users, person, living, started_days_ago=living.notice_days + 2)
    to_notice(users, person, nursing, started_days_ago=1)  # still running
    to_notice(users, other_person, living, started_days_ago=living.notice_days)  # ends today, other town
    work, rows = lines(users["officer"], "notice_ended")
    assert [(r.line.url, r.due, r.days) for r in rows] == [
        (reverse("benefits:application_detail", args=[ended.pk]), ended.notice_until, -2)
    ]
    assert "公示期满" in rows[0].line.description
    assert counts(work)["notice_ended"] == (1, 1)
    work, rows = lines(users["other_officer"], "notice_ended")
    assert [(r.due, r.days, r.overdue) for r in rows] == [(TODAY, 0, False)]
    assert counts(work)["notice_ended"] == (1, 0)


def test_the_district_reviewer_sees_every_towns_applications_waiting_for_a_decision(
    users, person, other_person, living, settings
):
    settings.BENEFITS_DISTRICT_REVIEW_DAYS = 10
    home = to_district(users, person, living, notice_ended_days_ago=12)
    other = to_district(users, other_person, living, notice_ended_days_ago=0)
    work, rows = lines(users["reviewer"], "district_review")
    assert [(r.line.url, r.due, r.overdue) for r in rows] == [
        (reverse("benefits:application_detail", args=[home.pk]), home.notice_until + 10 * DAY, True),
        (reverse("benefits:application_detail", args=[other.pk]), other.notice_until + 10 * DAY, False),
    ]
    assert counts(work)["district_review"] == (2, 1)
    # A town officer has no such step: the kind is not theirs.
    assert "district_review" not in counts(Worklist(users["officer"], TODAY))


def test_a_reviewer_does_not_see_an_application_they_took_or_first_reviewed(users, person, living, nursing):
    """They may not decide those (the services refuse), so they are not their work."""
    clerk = users["reviewer_who_prepares"]
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["add_application", "town_review_application"]))
    taken = application_submit(user=clerk, person=person, scheme=living, applied_on=TODAY - 30 * DAY, applicant="self")
    taken = application_town_review(user=users["officer"], application=taken, approve=True, today=TODAY - 20 * DAY)
    application_end_notice(user=users["officer"], application=taken, today=TODAY)
    reviewed = to_district(users, person, nursing, notice_ended_days_ago=1)
    assert Application.objects.filter(state=Application.State.DISTRICT_REVIEW).count() == 2
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions read afresh
    _, rows = lines(clerk, "district_review")
    assert [r.line.url for r in rows] == [reverse("benefits:application_detail", args=[reviewed.pk])]
    reviewed.refresh_from_db()
    assert reviewed.town_reviewed_by == users["officer"]
    _, rows = lines(users["reviewer"], "district_review")
    assert len(rows) == 2


def _batch(living, month, *, prepared_by, state=PayrollBatch.State.DRAFT, generated=True):
    return PayrollBatch.objects.create(
        scheme=living,
        month=month,
        state=state,
        prepared_by=prepared_by,
        generated_at=timezone.now() if generated else None,
        person_count=120,
        total_fen=2_604_000,
    )


def test_a_draft_batch_waits_for_a_reviewer_other_than_its_preparer_due_by_its_months_end(users, living):
    this_month = TODAY.replace(day=1)
    last_month = (this_month - DAY).replace(day=1)
    late = _batch(living, last_month, prepared_by=users["admin"])
    current = _batch(living, this_month, prepared_by=users["admin"])
    _batch(living, datetime.date(2020, 1, 1), prepared_by=users["admin"], state=PayrollBatch.State.APPROVED)
    _batch(living, datetime.date(2020, 2, 1), prepared_by=users["reviewer"])  # their own
    work, rows = lines(users["reviewer"], "batch_approval")
    next_month = (this_month + 32 * DAY).replace(day=1)
    assert [(r.line.url, r.due, r.overdue, r.person) for r in rows] == [
        (reverse("benefits:batch_detail", args=[late.pk]), this_month - DAY, True, None),
        (reverse("benefits:batch_detail", args=[current.pk]), next_month - DAY, False, None),
    ]
    assert "120 人" in rows[0].line.description and "26040.00 元" in rows[0].line.description
    assert counts(work)["batch_approval"] == (2, 1)


def test_a_batch_still_being_generated_is_not_yet_waiting(users, living):
    _batch(living, TODAY.replace(day=1), prepared_by=users["admin"], generated=False)
    work, rows = lines(users["reviewer"], "batch_approval")
    assert rows == [] and counts(work)["batch_approval"] == (0, 0)


def test_a_town_user_given_the_approval_permission_still_has_no_batch_lines(users, living):
    """A batch covers the whole district: the approval refuses a town user, so the work
    list does not offer it."""
    officer = users["officer"]
    officer.user_permissions.add(Permission.objects.get(codename="approve_payroll"))
    officer = type(officer).objects.get(pk=officer.pk)
    _batch(living, TODAY.replace(day=1), prepared_by=users["admin"])
    work = Worklist(officer, TODAY)
    assert "batch_approval" not in counts(work)
    assert all(r.kind.key != "batch_approval" for r in work.page_rows(0, 100))


def test_the_officers_home_page_lists_their_applications_with_links(login, users, person, other_person, living):
    application = submit(users, person, living, days_ago=20)
    submit(users, other_person, living, days_ago=20)
    html = login(users["officer"]).get(reverse("worklist:list")).content.decode()
    assert reverse("benefits:application_detail", args=[application.pk]) in html
    assert "陈建国" in html and "李秀英" not in html
    assert "逾期 10 天" in html


@pytest.mark.parametrize("key", ["town_review", "notice_ended", "district_review", "batch_approval"])
def test_each_benefits_kind_has_a_page_of_its_own(login, users, key):
    user = users["reviewer"] if key in ("district_review", "batch_approval") else users["officer"]
    response = login(user).get(reverse("worklist:kind", args=[key]))
    assert response.status_code == 200 and "目前没有" in response.content.decode()

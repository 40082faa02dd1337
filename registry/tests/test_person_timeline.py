"""The person page's timeline: every app's records of the person on one dated list,
newest first, filterable by kind without JavaScript, capped with a link to all, and read in
the same number of queries however long the person's history is."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from benefits.models import Application, ApplicationStep, Award, PaymentMonth, PayrollBatch, Scheme
from canlian.timeline import LIMIT
from registry.models import PersonEvent
from rehab.models import NeedAssessment, Provider, RehabItem, ServiceRecord


@pytest.fixture
def living(db):
    return Scheme.objects.get(code="living")


def paid_months(person, scheme, admin, count: int, first=datetime.date(2016, 1, 1)) -> Award:
    """`count` monthly payments from `first`, each in an approved batch of its month."""
    award = Award.objects.create(
        person=person, scheme=scheme, area_code=person.area_id, start_month=first, source=Award.Source.IMPORT
    )
    months = [
        datetime.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)
    ]
    batches = PayrollBatch.objects.bulk_create(
        PayrollBatch(scheme=scheme, month=m, state=PayrollBatch.State.APPROVED, prepared_by=admin) for m in months
    )
    PaymentMonth.objects.bulk_create(
        PaymentMonth(
            batch=b,
            scheme=scheme,
            person=person,
            award=award,
            area_code=person.area_id,
            month=b.month,
            amount_fen=21700,
        )
        for b in batches
    )
    return award


@pytest.fixture
def history(users, person, living, areas):
    admin, officer = users["admin"], users["officer"]
    PersonEvent.objects.create(
        person=person, area_code=person.area_id, kind="economic", field="economic_status",
        date=datetime.date(2024, 3, 1), old_value="none", new_value="dibao", reason="民政认定", created_by=officer,
    )  # fmt: skip
    application = Application.objects.create(
        person=person, scheme=living, area_code=person.area_id, applied_on=datetime.date(2025, 5, 6),
        applicant=Application.Applicant.SELF, submitted_by=officer,
    )  # fmt: skip
    ApplicationStep.objects.create(
        application=application, action="受理", to_state="submitted", reason="邻居陈某作证", user=officer
    )
    paid_months(person, living, admin, 3, first=datetime.date(2025, 7, 1))
    NeedAssessment.objects.create(
        person=person, year=2025, area_code=person.area_id, has_need=True, kinds=["physical"],
        assessed_on=datetime.date(2025, 2, 10), assessed_by=officer,
    )  # fmt: skip
    ServiceRecord.objects.create(
        person=person, area_code=person.area_id, item=RehabItem.objects.get(code="KF09"),
        provider=Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"]),
        served_on=datetime.date(2025, 4, 2), sessions=3, recorded_by=officer,
    )  # fmt: skip
    return application


def page(client, person, **params):
    response = client.get(reverse("registry:person_detail", args=[person.pk]), params)
    assert response.status_code == 200
    return response


def test_every_apps_records_are_on_one_timeline_newest_first(login, users, person, history):
    timeline = page(login(users["officer"]), person).context["timeline"]
    got = [(e.date.isoformat(), e.kind) for e in timeline.entries]
    # The step was recorded today; the paid months and the award follow the application
    # (entries of one day keep their providers' order).
    today = datetime.date.today().isoformat()
    assert got == [
        (today, "application"),
        ("2025-09-01", "payment"),
        ("2025-08-01", "payment"),
        ("2025-07-01", "award"),
        ("2025-07-01", "payment"),
        ("2025-05-06", "application"),
        ("2025-04-02", "rehab_service"),
        ("2025-02-10", "rehab_assessment"),
        ("2024-03-01", "status"),
    ]


def test_entries_link_to_their_records(login, users, person, history):
    html = page(login(users["officer"]), person).content.decode()
    assert f'href="{reverse("benefits:application_detail", args=[history.pk])}">申请困难残疾人生活补贴</a>' in html
    batch = PayrollBatch.objects.get(month=datetime.date(2025, 9, 1))
    assert f'href="{reverse("benefits:batch_detail", args=[batch.pk])}">困难残疾人生活补贴 2025-09</a>' in html


def test_the_kind_filter_is_a_plain_get_form(login, users, person, history):
    response = page(login(users["officer"]), person, kind="payment")
    timeline = response.context["timeline"]
    assert {e.kind for e in timeline.entries} == {"payment"} and timeline.total == 3
    html = response.content.decode()
    assert '<form method="get" action="#timeline"' in html
    assert '<option value="payment" selected>补贴发放（3）</option>' in html
    assert '<option value="rehab_service">康复服务（1）</option>' in html


def test_an_unknown_kind_shows_everything(login, users, person, history):
    timeline = page(login(users["officer"]), person, kind="nonsense").context["timeline"]
    assert timeline.kind == "" and timeline.total == 9


def test_a_user_sees_only_the_kinds_their_permissions_allow(login, users, person, history):
    assert "邻居陈某作证" in page(login(users["officer"]), person).content.decode()
    # An officer of the town who may read awards and applications but not status events.
    clerk = User.objects.create_user(username="clerk", password="x-Canlian-2026", area=users["officer"].area)
    wanted = ["view_person", "view_personal_data", "view_application", "view_award", "view_payrollbatch"]
    clerk.user_permissions.set(Permission.objects.filter(codename__in=wanted))
    response = page(login(clerk), person)
    kinds = {e.kind for e in response.context["timeline"].entries}
    assert "status" not in kinds and {"payment", "application"} <= kinds


def test_a_leader_gets_no_timeline_at_all(login, users, person, history):
    response = login(users["leader"]).get(reverse("registry:person_detail", args=[person.pk]))
    assert response.status_code == 403 and "邻居陈某作证" not in response.content.decode()


def test_a_long_history_is_capped_with_a_link_to_all(login, users, person, living):
    paid_months(person, living, users["admin"], 120)
    client = login(users["officer"])
    response = page(client, person)
    timeline = response.context["timeline"]
    assert len(timeline.entries) == LIMIT and timeline.total == 121  # 120 months and the award
    assert timeline.entries[0].date == datetime.date(2025, 12, 1)
    assert "显示全部 121 条（当前显示最近 50 条）" in response.content.decode()
    assert len(page(client, person, timeline="all").context["timeline"].entries) == 121


def test_the_queries_do_not_grow_with_the_history(login, users, person, living, django_assert_max_num_queries):
    client = login(users["officer"])
    paid_months(person, Scheme.objects.get(code="nursing"), users["admin"], 2)
    with CaptureQueriesContext(connection) as short:
        page(client, person)
    paid_months(person, living, users["admin"], 120)
    with django_assert_max_num_queries(len(short.captured_queries)):
        page(client, person, timeline="all")

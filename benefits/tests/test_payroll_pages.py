"""The payroll pages: batch list, generation with its progress page, batch detail,
approval and the printable summary; for each, what every role sees of which town."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from benefits import views_payroll
from benefits.models import PaymentMonth, PayrollBatch
from benefits.payroll import payroll_approve, payroll_generate
from benefits.tasks import JOB_KIND, run_payroll_generate
from canlian.models import Job
from conftest import make_person
from registry.identifiers import mask_id
from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date
MARCH = D(2021, 3, 1)


@pytest.fixture(autouse=True)
def _tasks_in_the_request(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def baisha_poor(areas):
    return make_person(areas["baisha_a"], name="王低保", sequence=201, economic_status="dibao", grade=3)


@pytest.fixture
def hetang_poor(areas):
    return make_person(areas["hetang_a"], name="李荷塘", sequence=202, economic_status="near_dibao", grade=4)


@pytest.fixture
def batch(users, living, baisha_poor, hetang_poor, award_for):
    award_for(baisha_poor, living, "2021-01")
    award_for(hetang_poor, living, "2021-03")
    return payroll_generate(scheme=living, month=MARCH, user=users["admin"])


@pytest.fixture
def approved(batch, users):
    return payroll_approve(batch=batch, user=users["reviewer"], version=batch.version)


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _detail(batch) -> str:
    return reverse("benefits:batch_detail", args=[batch.pk])


# The batch list -------------------------------------------------------------------------


def test_the_batch_list_shows_scheme_month_state_persons_total_and_who(login, users, approved):
    html = _html(login(users["admin"]).get(reverse("benefits:batch_list")))
    assert "困难残疾人生活补贴" in html and "2021-03" in html and "已审核" in html
    assert '<td class="text-end">2</td>' in html
    assert "724.00" in html  # 3 × 181 + 181
    assert "测试admin" in html and "测试reviewer" in html


def test_a_town_officer_sees_the_persons_and_total_of_their_town_only(login, users, batch):
    html = _html(login(users["officer"]).get(reverse("benefits:batch_list")))
    assert "543.00" in html and "724.00" not in html
    html = _html(login(users["other_officer"]).get(reverse("benefits:batch_list")))
    assert "181.00" in html and "724.00" not in html


def test_only_a_user_who_prepares_payrolls_gets_the_generate_form(login, users, batch):
    assert "生成/重新生成草稿" in _html(login(users["admin"]).get(reverse("benefits:batch_list")))
    for role in ("reviewer", "officer", "leader"):
        assert "生成/重新生成草稿" not in _html(login(users[role]).get(reverse("benefits:batch_list"))), role


def test_centre_staff_have_no_payroll_pages(login, users, batch):
    client = login(users["centre"])
    assert client.get(reverse("benefits:batch_list")).status_code == 403
    assert client.get(_detail(batch)).status_code == 403


# Generation with progress ---------------------------------------------------------------


def _run(scheme, user) -> Job:
    """A queued generation of `scheme` for March 2021, as the generate form makes it."""
    return Job.objects.create(
        kind=JOB_KIND,
        title=f"{scheme.name} 2021-03",
        params={"scheme": scheme.pk, "month": "2021-03-01"},
        created_by=user,
    )


def test_generating_runs_the_task_and_the_progress_page_links_the_draft(login, users, living, baisha_poor, award_for):
    award_for(baisha_poor, living, "2021-01")
    client = login(users["admin"])
    response = client.post(reverse("benefits:batch_generate"), {"scheme": living.pk, "month": "2021-03"})
    run = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("benefits:run_status", args=[run.pk])
    assert run.state == Job.State.DONE and (run.processed, run.total) == (3, 3)
    batch = PayrollBatch.objects.get(scheme=living, month=MARCH)
    assert run.report == {"batch": batch.pk} and batch.prepared_by == users["admin"] and batch.total_fen == 3 * 18100
    page = _html(client.get(response["Location"]))
    assert "生成完成" in page and _detail(batch) in page and "543.00" in page
    assert 'hx-trigger="every 1s"' not in page


def test_regenerating_a_draft_from_its_page_replaces_it(login, users, living, batch, areas, award_for):
    newcomer = make_person(areas["baisha_b"], name="周新增", sequence=205, economic_status="dibao")
    award_for(newcomer, living, "2021-03")
    client = login(users["admin"])
    assert "重新生成草稿" in _html(client.get(_detail(batch)))
    client.post(reverse("benefits:batch_generate"), {"scheme": living.pk, "month": "2021-03"})
    batch.refresh_from_db()
    assert batch.person_count == 3 and PayrollBatch.objects.count() == 1


def test_a_running_generation_polls_for_progress(login, users, living):
    run = _run(living, users["admin"])
    Job.objects.filter(pk=run.pk).update(state=Job.State.RUNNING, processed=1, total=4)
    client = login(users["admin"])
    page = _html(client.get(reverse("benefits:run_status", args=[run.pk])))
    assert 'hx-trigger="every 1s"' in page and "已处理 1 / 4 个月份" in page and "25%" in page
    panel = _html(client.get(reverse("benefits:run_status", args=[run.pk]), HTTP_HX_REQUEST="true"))
    assert "<h1" not in panel and 'id="run-status"' in panel


def test_a_generation_that_fails_shows_why_on_its_page(login, users, living, approved):
    run = _run(living, users["admin"])
    run_payroll_generate.enqueue(run.pk)
    run.refresh_from_db()
    assert run.state == Job.State.REFUSED and "已审核，不能重新生成" in run.message
    page = _html(login(users["admin"]).get(reverse("benefits:run_status", args=[run.pk])))
    assert "未能生成" in page and "已审核，不能重新生成" in page


@pytest.mark.parametrize(
    "data, error",
    [
        ({"month": "2021-03"}, "已审核，不能重新生成"),
        ({"month": f"{datetime.date.today().year + 1}-01"}, "不能编制未来月份"),
        ({"month": "2021-13"}, "月份不存在"),
        ({"month": ""}, "请填写发放月份"),
    ],
)
def test_the_generate_form_refuses_with_a_reason(login, users, living, approved, data, error):
    response = login(users["admin"]).post(reverse("benefits:batch_generate"), {"scheme": living.pk, **data})
    assert error in _html(response)
    assert not Job.objects.exists()


def test_the_generate_form_offers_monthly_schemes_only(login, users, living):
    from benefits.models import Scheme

    client = login(users["admin"])
    html = _html(client.get(reverse("benefits:batch_list")))
    assert "困难残疾人生活补贴" in html and "重度残疾人护理补贴" in html and "机动轮椅车燃油补贴" not in html
    fuel = Scheme.objects.get(code="fuel")
    response = client.post(reverse("benefits:batch_generate"), {"scheme": fuel.pk, "month": "2021-03"})
    assert "请选择按月发放的补贴项目" in _html(response) and not Job.objects.exists()


def test_who_may_not_prepare_cannot_generate(login, users, living):
    for role in ("reviewer", "officer", "leader"):
        response = login(users[role]).post(
            reverse("benefits:batch_generate"), {"scheme": living.pk, "month": "2021-03"}
        )
        assert response.status_code == 403, role
    assert not Job.objects.exists()


def test_the_progress_page_is_its_users_only(login, users, living):
    run = _run(living, users["admin"])
    both = login(users["reviewer_who_prepares"])
    assert both.get(reverse("benefits:run_status", args=[run.pk])).status_code == 404


# The batch detail: scoping matrix -------------------------------------------------------


def test_a_district_user_sees_every_town_with_masked_ids(login, users, batch, baisha_poor, hetang_poor):
    html = _html(login(users["admin"]).get(_detail(batch)))
    assert baisha_poor.name in html and hetang_poor.name in html
    assert baisha_poor.id_number not in html and mask_id(baisha_poor.id_number) in html and "440703********" in html
    assert "白沙街道" in html and "荷塘镇" in html
    assert "2021-01～2021-03" in html and "543.00" in html and "181.00" in html and "724.00" in html


def test_the_officer_of_a_town_sees_its_lines_and_totals_only(login, users, batch, baisha_poor, hetang_poor):
    html = _html(login(users["officer"]).get(_detail(batch)))
    assert baisha_poor.name in html and "543.00" in html
    assert hetang_poor.name not in html and mask_id(hetang_poor.id_number) not in html
    assert "荷塘镇" not in html and "724.00" not in html


def test_another_towns_officer_sees_none_of_its_lines(login, users, batch, baisha_poor, hetang_poor):
    html = _html(login(users["other_officer"]).get(_detail(batch)))
    assert hetang_poor.name in html and "181.00" in html
    assert baisha_poor.name not in html and mask_id(baisha_poor.id_number) not in html
    assert "白沙街道" not in html and "543.00" not in html


def test_a_leader_sees_the_totals_without_names_or_ids(login, users, batch, baisha_poor, hetang_poor):
    html = _html(login(users["leader"]).get(_detail(batch)))
    assert "白沙街道" in html and "荷塘镇" in html and "724.00" in html
    for secret in (baisha_poor.name, hetang_poor.name, "王*", "李*", mask_id(baisha_poor.id_number), "440703****"):
        assert secret not in html
    assert 'id="lines"' not in html and "建议终止" not in html


def test_a_batch_that_does_not_exist_answers_404(login, users):
    assert login(users["officer"]).get(reverse("benefits:batch_detail", args=[999999])).status_code == 404


def test_the_lines_are_paginated(login, users, batch, baisha_poor, hetang_poor, monkeypatch):
    monkeypatch.setattr(views_payroll, "PAGE_SIZE", 1)
    client = login(users["admin"])
    first = _html(client.get(_detail(batch)))
    second = _html(client.get(_detail(batch), {"page": 2}))
    assert baisha_poor.name in first and hetang_poor.name not in first and "1/2 页" in first
    assert hetang_poor.name in second and "?page=1" in second


def test_awards_of_persons_no_longer_eligible_are_proposed_for_ending(
    login, users, living, batch, baisha_poor, hetang_poor
):
    person_event_record(user=users["admin"], person=hetang_poor, kind=EventKind.DEATH, date=D(2021, 2, 10))
    html = _html(login(users["admin"]).get(_detail(batch)))
    assert "建议终止" in html and 'id="to-stop"' in html
    section = html[html.index('id="to-stop"') :]
    assert hetang_poor.name in section and "死亡" in section and "2021-03" in section
    assert reverse("registry:person_detail", args=[hetang_poor.pk]) in section
    assert baisha_poor.name not in section
    # The proposal is for the town of the person: the other town's officer does not see it.
    assert 'id="to-stop"' not in _html(login(users["officer"]).get(_detail(batch)))


# Approval -------------------------------------------------------------------------------


def test_a_reviewer_approves_a_draft(login, users, batch):
    client = login(users["reviewer"])
    assert "审核通过" in _html(client.get(_detail(batch)))
    assert f'name="version" value="{batch.version}"' in _html(client.get(_detail(batch)))
    response = client.post(reverse("benefits:batch_approve", args=[batch.pk]), {"version": batch.version}, follow=True)
    batch.refresh_from_db()
    assert batch.state == PayrollBatch.State.APPROVED and batch.approved_by == users["reviewer"]
    assert "已审核" in _html(response) and "724.00" in _html(response)


def test_approval_by_the_preparer_is_refused_with_a_clear_message(login, users, living, baisha_poor, award_for):
    award_for(baisha_poor, living, "2021-01")
    batch = payroll_generate(scheme=living, month=MARCH, user=users["reviewer_who_prepares"])
    client = login(users["reviewer_who_prepares"])
    assert "您是本批次的制表人" in _html(client.get(_detail(batch)))
    response = client.post(reverse("benefits:batch_approve", args=[batch.pk]), {"version": batch.version}, follow=True)
    assert "审核人不能是制表人" in _html(response)
    batch.refresh_from_db()
    assert batch.state == PayrollBatch.State.DRAFT and not PaymentMonth.objects.paid().filter(batch=batch).exists()


def test_a_draft_regenerated_after_the_reviewer_saw_it_is_refused_and_stays_a_draft(login, users, living, batch):
    client = login(users["reviewer"])
    assert "724.00" in _html(client.get(_detail(batch)))
    seen = batch.version
    # Between the reviewer's view and the click, a rate changes and the draft is generated again.
    living.rates.create(valid_from=MARCH, amount_fen=19000)
    payroll_generate(scheme=living, month=MARCH, user=users["admin"])
    response = client.post(reverse("benefits:batch_approve", args=[batch.pk]), {"version": seen}, follow=True)
    assert "已重新生成" in _html(response) and "未审核" in _html(response)
    batch.refresh_from_db()
    assert (batch.state, batch.approved_by, batch.total_fen) == (PayrollBatch.State.DRAFT, None, 19000 * 2 + 18100 * 2)
    assert not batch.payees.exists()


def test_an_approval_that_names_no_version_is_refused(login, users, batch):
    response = login(users["reviewer"]).post(reverse("benefits:batch_approve", args=[batch.pk]), follow=True)
    assert "已重新生成" in _html(response)
    batch.refresh_from_db()
    assert batch.state == PayrollBatch.State.DRAFT


def test_approving_twice_says_it_is_already_approved(login, users, approved):
    url = reverse("benefits:batch_approve", args=[approved.pk])
    response = login(users["reviewer"]).post(url, {"version": approved.version}, follow=True)
    assert "不能重复审核" in _html(response)


def test_only_reviewers_may_approve(login, users, batch):
    for role in ("admin", "officer", "leader"):
        url = reverse("benefits:batch_approve", args=[batch.pk])
        assert login(users[role]).post(url, {"version": batch.version}).status_code == 403, role
    batch.refresh_from_db()
    assert batch.state == PayrollBatch.State.DRAFT


# The printable summary ------------------------------------------------------------------


def test_the_summary_of_an_approved_batch_prints_totals_per_town_and_signatures(login, users, approved):
    html = _html(login(users["admin"]).get(reverse("benefits:batch_summary", args=[approved.pk])))
    # The print layout is a static stylesheet (the CSP allows no inline <style>).
    assert "benefits/payroll_summary.css" in html and "发放汇总表" in html
    css = (Path(__file__).resolve().parents[1] / "static" / "benefits" / "payroll_summary.css").read_text()
    assert "@media print" in css
    assert "白沙街道" in html and "荷塘镇" in html and "724.00" in html
    assert "制表人：测试admin" in html and "审核人：测试reviewer" in html


def test_the_summary_for_an_officer_and_a_leader(login, users, approved, baisha_poor):
    html = _html(login(users["officer"]).get(reverse("benefits:batch_summary", args=[approved.pk])))
    assert "543.00" in html and "荷塘镇" not in html and "724.00" not in html
    html = _html(login(users["leader"]).get(reverse("benefits:batch_summary", args=[approved.pk])))
    assert "724.00" in html and baisha_poor.name not in html


def test_a_draft_has_no_summary_yet(login, users, batch):
    response = login(users["admin"]).get(reverse("benefits:batch_summary", args=[batch.pk]), follow=True)
    assert "审核通过后才能打印汇总表" in _html(response)


def test_the_end_of_a_generation_is_announced_out_of_band_in_the_pages_live_region(login, users, living):
    run = _run(living, users["admin"])
    client = login(users["admin"])
    page = _html(client.get(reverse("benefits:run_status", args=[run.pk])))
    assert page.count('id="status-announce"') == 1 and 'aria-live="polite"' in page
    polled = _html(client.get(reverse("benefits:run_status", args=[run.pk]), HTTP_HX_REQUEST="true"))
    assert "aria-live" not in polled
    Job.objects.filter(pk=run.pk).update(state=Job.State.FAILED, message="测试失败原因")
    ended = _html(client.get(reverse("benefits:run_status", args=[run.pk]), HTTP_HX_REQUEST="true"))
    assert 'hx-swap-oob="innerHTML"' in ended and "未能生成。测试失败原因" in ended

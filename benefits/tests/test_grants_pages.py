"""Every page of the other grants, for the officer of the person's town (200, the person
shown), an officer of another town (404, or the person absent from lists) and a leader (no
figures only: counts, or 403 for a list of persons), plus what the forms do."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from benefits.grants import grant_batch_approve, grant_batch_generate
from benefits.models import Application, Award, GrantProject, PayrollBatch, Scheme, Vehicle
from conftest import make_person
from targets.models import WHOLE_YEAR, IndicatorValue
from targets.services import indicators_refresh

D = datetime.date
TODAY = datetime.date.today()


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def setup(users, person):
    """The officer's person (肢体, 二级) with a vehicle, an education award this year, and an
    approved house-repair application with its project record."""
    vehicle = Vehicle.objects.create(person=person, plate="粤J8888", registered_on=D(2020, 1, 1))
    Award.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="education"),
        area_code=person.area_id,
        variant="大学",
        start_month=D(TODAY.year, 1, 1),
        source=Award.Source.IMPORT,
    )
    application = Application.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="house_repair"),
        area_code=person.area_id,
        applied_on=D(2024, 3, 12),
        applicant=Application.Applicant.SELF,
        state=Application.State.APPROVED,
        submitted_by=users["officer"],
    )
    project = GrantProject.objects.create(
        application=application, kind="house_repair", description="屋顶翻修", budget_fen=2000000,
        created_by=users["officer"],
    )  # fmt: skip
    return {"vehicle": vehicle, "project": project, "application": application}


LISTS = ["grant_vehicles", "grant_fuel", "grant_education", "grant_projects"]


@pytest.mark.parametrize("name", LISTS)
def test_the_officer_of_the_town_sees_the_person_masked(login, users, person, setup, name):
    page = html(login(users["officer"]).get(reverse(f"benefits:{name}")))
    assert person.name in page
    assert person.id_number not in page and person.id_number[-4:] in page


@pytest.mark.parametrize("name", LISTS)
def test_another_towns_officer_does_not_see_the_person(login, users, person, setup, name):
    page = html(login(users["other_officer"]).get(reverse(f"benefits:{name}")))
    assert person.name not in page and person.id_number[-4:] not in page


@pytest.mark.parametrize("name", ["grant_vehicles", "grant_fuel", "grant_batches", "grant_projects"])
def test_a_leader_gets_403_where_the_role_has_no_access(login, users, setup, name):
    assert login(users["leader"]).get(reverse(f"benefits:{name}")).status_code == 403


def test_a_leader_sees_the_education_levels_counts_and_no_students(login, users, person, setup):
    page = html(login(users["leader"]).get(reverse("benefits:grant_education")))
    assert '<td class="text-end" id="students-' in page and "享受学生" not in page
    assert person.name not in page and "陈**" not in page and person.id_number[-4:] not in page


def test_the_overview_counts_within_the_scope_and_shows_a_leader_no_names(login, users, person, setup):
    page = html(login(users["officer"]).get(reverse("benefits:grant_list")))
    assert '<dd class="col-4" id="count-vehicles">1</dd>' in page
    assert '<dd class="col-4" id="count-students">1</dd>' in page
    assert '<dd class="col-4" id="count-insurance">1</dd>' in page
    assert '<dd class="col-4" id="count-basic-insurance">1</dd>' in page
    for name in ("grant_vehicles", "grant_fuel", "grant_education", "grant_projects"):
        assert reverse(f"benefits:{name}") in page
    other = html(login(users["other_officer"]).get(reverse("benefits:grant_list")))
    assert '<dd class="col-4" id="count-vehicles">0</dd>' in other
    assert '<dd class="col-4" id="count-insurance">0</dd>' in other
    leader = html(login(users["leader"]).get(reverse("benefits:grant_list")))
    assert '<dd class="col-4" id="count-insurance">1</dd>' in leader
    assert person.name not in leader and reverse("benefits:grant_vehicles") not in leader


def test_enrolment_pages_count_within_the_scope(login, users, person, setup):
    url = reverse("benefits:grant_enrolment", args=["insurance"])
    assert '<strong id="enrolment-total">1</strong>' in html(login(users["officer"]).get(url))
    assert '<strong id="enrolment-total">0</strong>' in html(login(users["other_officer"]).get(url))
    leader = html(login(users["leader"]).get(url))
    assert '<strong id="enrolment-total">1</strong>' in leader and "这里只显示人数" in leader
    assert reverse("benefits:grant_enrolment_export", args=["insurance"]) not in leader


def test_the_education_page_shows_the_amount_of_each_level(login, users, setup):
    page = html(login(users["officer"]).get(reverse("benefits:grant_education")))
    assert "5000.00" in page and "高中/中职" in page


def test_a_vehicle_is_registered_from_the_page(login, users, person):
    client = login(users["officer"])
    form = html(client.get(reverse("benefits:grant_vehicles"), {"person": person.pk}))
    assert f'value="{person.id_number}"' in form
    data = {"id_number": person.id_number, "plate": "粤J0001", "registered_on": "2024-05-01", "lower_limb": "on"}
    response = client.post(reverse("benefits:grant_vehicles"), data)
    assert response.status_code == 302
    assert Vehicle.objects.get().person == person


def test_another_town_cannot_register_a_vehicle_for_the_person(login, users, person):
    client = login(users["other_officer"])
    assert client.get(reverse("benefits:grant_vehicles"), {"person": person.pk}).status_code == 404
    data = {"id_number": person.id_number, "plate": "粤J0001", "registered_on": "2024-05-01", "lower_limb": "on"}
    response = client.post(reverse("benefits:grant_vehicles"), data)
    assert response.status_code == 400 and "管辖范围内没有该身份证号" in response.content.decode()
    assert not Vehicle.objects.exists()


def test_retiring_a_vehicle_needs_the_permission_and_the_scope(login, users, setup):
    vehicle = setup["vehicle"]
    url = reverse("benefits:grant_vehicle_retire", args=[vehicle.pk])
    assert login(users["officer"]).post(url, {"retired_on": "2024-06-01"}).status_code == 403
    users["other_officer"].user_permissions.add(Permission.objects.get(codename="change_vehicle"))
    assert login(users["other_officer"]).post(url, {"retired_on": "2024-06-01"}).status_code == 404
    assert login(users["admin"]).post(url, {"retired_on": "2024-06-01"}).status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.retired_on == D(2024, 6, 1)


def test_a_project_status_is_updated_from_the_page(login, users, setup):
    project = setup["project"]
    url = reverse("benefits:grant_project_advance", args=[project.pk])
    data = {"status": "in_progress", "on": "2024-04-01"}
    assert login(users["other_officer"]).post(url, data).status_code == 404
    assert login(users["officer"]).post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.status, project.started_on) == ("in_progress", D(2024, 4, 1))
    response = login(users["officer"]).post(url, {"status": "accepted", "on": "2024-04-02"}, follow=True)
    assert "下一步应为“已完工”" in response.content.decode()


def test_a_project_is_recorded_from_the_page(login, users, person, setup):
    application = Application.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="hardship"),
        area_code=person.area_id,
        applied_on=D(2024, 5, 2),
        applicant=Application.Applicant.GUARDIAN,
        submitted_by=users["officer"],
    )
    url = reverse("benefits:grant_project_create", args=[application.pk])
    assert url in html(login(users["officer"]).get(reverse("benefits:grant_projects")))
    assert login(users["other_officer"]).get(url).status_code == 404
    assert login(users["leader"]).get(url).status_code == 403
    response = login(users["officer"]).post(url, {"description": "大病救助", "budget": "3000.50", "contractor": ""})
    assert response.status_code == 302
    assert application.project.budget_fen == 300050


def test_batches_are_generated_and_approved_by_two_district_users(login, users, setup):
    url = reverse("benefits:grant_batches")
    assert login(users["officer"]).get(url).status_code == 403
    fuel = Scheme.objects.get(code="fuel")
    Award.objects.create(
        person=setup["vehicle"].person, scheme=fuel, area_code=setup["vehicle"].person.area_id,
        start_month=D(2024, 1, 1), source=Award.Source.IMPORT,
    )  # fmt: skip
    response = login(users["admin"]).post(url, {"scheme": fuel.pk, "period": "2024"})
    assert response.status_code == 302
    batch = PayrollBatch.objects.get(scheme=fuel)
    assert (batch.month, batch.total_fen) == (D(2024, 1, 1), 30000)
    assert "燃油补贴 2024 年度" in html(login(users["reviewer"]).get(url))
    approve = reverse("benefits:grant_batch_approve", args=[batch.pk])
    assert login(users["admin"]).post(approve, {"version": batch.version}).status_code == 403
    login(users["reviewer"]).post(approve, {"version": batch.version})
    batch.refresh_from_db()
    assert batch.state == PayrollBatch.State.APPROVED


def test_the_batch_form_explains_a_bad_period(login, users):
    hardship = Scheme.objects.get(code="hardship")
    response = login(users["admin"]).post(reverse("benefits:grant_batches"), {"scheme": hardship.pk, "period": "20x4"})
    assert response.status_code == 400 and "月份格式不正确" in response.content.decode()


def test_the_insured_figure_is_the_dashboards_and_the_batchs(login, users, areas):
    insurance = Scheme.objects.get(code="insurance")
    year = timezone.localdate().year
    baisha = [make_person(areas["baisha_a"], name=f"白沙{n}", sequence=701 + 2 * n) for n in range(3)]
    make_person(areas["hetang_a"], name="荷塘持证", sequence=751)
    Award.objects.create(
        person=baisha[0], scheme=insurance, area_code=baisha[0].area_id,
        start_month=D(year, 1, 1), source=Award.Source.IMPORT,
    )  # fmt: skip
    batch = grant_batch_generate(insurance, year, users["admin"])
    grant_batch_approve(batch=batch, user=users["reviewer"], version=batch.version)
    indicators_refresh(year=year, keys=["insurance_insured"])
    dashboard = IndicatorValue.objects.get(
        indicator="insurance_insured", year=year, month=WHOLE_YEAR, area_code="440703000000"
    ).value
    assert dashboard == batch.person_count == 4
    page = html(login(users["admin"]).get(reverse("benefits:grant_list")))
    assert f'id="insured-insurance">{dashboard}</dd>' in page
    # A town officer: their town's part of the same figure.
    page = html(login(users["officer"]).get(reverse("benefits:grant_list")))
    assert 'id="insured-insurance">3</dd>' in page

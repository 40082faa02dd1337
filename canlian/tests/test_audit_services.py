"""Each service that changes state without a history of its own writes its audit entry:
one test per kind of action, each reading the entry the service wrote."""

import datetime
from decimal import Decimal

import pytest

from areas.services import areas_import_rows
from benefits.award_import import awards_import
from benefits.grants import grant_project_advance, grant_project_create, vehicle_register, vehicle_retire
from benefits.models import Application, Award, GrantProject, Scheme
from benefits.payroll import payroll_approve, payroll_generate, payroll_mark_exported
from benefits.services import award_end
from canlian.importing import run_import
from canlian.models import AuditEntry
from registry.imports import persons_import
from registry.services import person_reveal
from registry.tests.workbooks import import_job, person_row, write_workbook
from rehab.models import Provider, RehabItem
from rehab.services import service_record, service_record_void
from targets.services import targets_set

D = datetime.date


def entry(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


@pytest.fixture
def nursing(db):
    return Scheme.objects.get(code="nursing")


@pytest.fixture
def award(person, nursing):
    return Award.objects.create(
        person=person, scheme=nursing, area_code=person.area_id, start_month=D(2024, 1, 1), source=Award.Source.IMPORT
    )


def test_a_payroll_batch_is_audited_when_generated_approved_and_exported(users, award, nursing):
    batch = payroll_generate(scheme=nursing, month=D(2024, 1, 1), user=users["admin"])
    generated = entry("benefits.batch.generated")
    assert (generated.user, generated.object_id, generated.content_type.model) == (
        users["admin"],
        str(batch.pk),
        "payrollbatch",
    )
    assert generated.data["persons"] == 1 and generated.data["total"] == batch.total_fen > 0
    payroll_approve(batch=batch, user=users["reviewer"], version=batch.version)
    assert entry("benefits.batch.approved").user == users["reviewer"]
    payroll_mark_exported(batch=batch, user=users["reviewer"])
    payroll_mark_exported(batch=batch, user=users["reviewer"])  # again: no second state change
    assert entry("benefits.batch.exported").object_id == str(batch.pk)


def test_ending_an_award_is_audited_with_its_month_and_reason(users, award, person):
    award_end(user=users["reviewer"], award=award, end_month=D(2024, 6, 1), reason="迁出本区")
    ended = entry("benefits.award.ended")
    assert (ended.user, ended.person_id, ended.object_id) == (users["reviewer"], person.pk, str(award.pk))
    assert ended.data == {"end_month": "2024-06-01", "reason": "迁出本区"}


def test_a_vehicle_is_audited_when_registered_and_retired(users, person):
    vehicle = vehicle_register(user=users["officer"], person=person, plate="粤J·12345", registered_on=D(2024, 1, 1))
    assert (entry("benefits.vehicle.registered").person_id, entry("benefits.vehicle.registered").data) == (
        person.pk,
        {"plate": "粤J12345"},
    )
    vehicle_retire(user=users["admin"], vehicle=vehicle, retired_on=D(2024, 5, 1))
    retired = entry("benefits.vehicle.retired")
    assert (retired.user, retired.object_id, retired.data) == (
        users["admin"],
        str(vehicle.pk),
        {"retired_on": "2024-05-01"},
    )


def test_a_grant_projects_steps_are_audited(users, person):
    application = Application.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="house_repair"),
        area_code=person.area_id,
        applied_on=D(2024, 3, 12),
        applicant=Application.Applicant.SELF,
        state=Application.State.APPROVED,
        submitted_by=users["officer"],
    )
    project = grant_project_create(
        user=users["officer"], application=application, description="屋顶翻修", budget_fen=100
    )
    assert entry("benefits.project.created").person_id == person.pk
    grant_project_advance(
        user=users["officer"], project=project, status=GrantProject.Status.IN_PROGRESS, on=D(2024, 4, 1)
    )
    advanced = entry("benefits.project.advanced")
    assert (advanced.object_id, advanced.person_id) == (str(project.pk), person.pk)
    assert advanced.data == {"status": "in_progress", "on": "2024-04-01"}


def test_changing_targets_is_audited_once_per_save_and_not_when_nothing_changed(users, areas):
    values = {("certified_persons", areas["district"].code): Decimal(9100)}
    targets_set(user=users["admin"], year=2026, values=values, note="年初计划")
    targets_set(user=users["admin"], year=2026, values=values)
    changed = entry("targets.target.changed")
    assert (changed.user, changed.data) == (users["admin"], {"year": 2026, "changed": 1, "note": "年初计划"})


def test_voiding_a_service_record_is_audited_with_its_reason(users, person, areas):
    record = service_record(
        user=users["officer"],
        person=person,
        item=RehabItem.objects.get(code="KF09"),
        provider=Provider.objects.create(name="康复中心", area=areas["baisha"]),
        served_on=datetime.date.today() - datetime.timedelta(days=3),
        sessions=2,
        note="",
    )
    service_record_void(user=users["officer"], record=record, reason="项目选错")
    voided = entry("rehab.record.voided")
    assert (voided.user, voided.object_id, voided.person_id) == (users["officer"], str(record.pk), person.pk)
    assert voided.data == {"reason": "项目选错"}


def test_revealing_identifiers_is_audited_on_the_person(users, person):
    person_reveal(user=users["officer"], person=person)
    revealed = entry("registry.identifiers.revealed")
    assert (revealed.user, revealed.person_id) == (users["officer"], person.pk)


def test_a_person_import_is_audited_with_its_file_and_counts(users, tmp_path):
    path = write_workbook(tmp_path / "白沙.xlsx", [person_row()])
    persons_import(user=users["officer"], path_or_file=path, source_name="白沙.xlsx")
    imported = entry("registry.import")
    assert imported.user == users["officer"] and (imported.data["file"], imported.data["created"]) == ("白沙.xlsx", 1)


def test_a_refused_import_job_is_audited_with_the_reason(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    headers = ["姓名", "性别"]
    job = import_job(users["officer"], write_workbook(tmp_path / "a.xlsx", [person_row()], headers).read_bytes())
    run_import.call(job.pk)
    refused = entry("registry.import.refused")
    assert (refused.user, refused.content_type.model, refused.object_id) == (users["officer"], "job", str(job.pk))
    assert refused.data["file"] == "a.xlsx" and refused.data["message"].startswith("缺少必需的列：")


def test_an_award_import_is_audited_under_benefits(users, person, nursing, tmp_path):
    cells = {"公民身份号码": person.id_number, "补贴项目": "护理补贴", "起始月份": "2020-03"}
    path = write_workbook(tmp_path / "享受.xlsx", [cells], ["公民身份号码", "补贴项目", "起始月份", "终止月份"])
    awards_import(user=users["admin"], path_or_file=path, source_name="享受.xlsx")
    imported = entry("benefits.import")
    assert (imported.data["kind"], imported.data["created"]) == ("awards", 1)
    assert not AuditEntry.objects.filter(action="registry.import").exists()


def test_an_area_import_is_audited_without_a_user(db, tmp_path):
    areas_import_rows(rows=[("440703102203", "良村村")], path=tmp_path / "areas.xlsx")
    imported = entry("areas.import")
    assert imported.user is None and imported.data["file"] == "areas.xlsx" and "新增 1" in imported.data["summary"]

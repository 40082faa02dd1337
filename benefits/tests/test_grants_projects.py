"""Project records of one-off grants: opened for a hardship, house-repair or adaptation
application, moved one step at a time (待实施 → 实施中 → 已完工 → 已验收) by the town or the
district, each step dated and written to the application's log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from benefits.grants import grant_project_advance, grant_project_create
from benefits.models import Application, ApplicationStep, GrantProject, Scheme
from canlian.scoping import OutOfScope

D = datetime.date
S = GrantProject.Status


@pytest.fixture
def application(users, person):
    return Application.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="house_repair"),
        area_code=person.area_id,
        applied_on=D(2024, 3, 12),
        applicant=Application.Applicant.SELF,
        state=Application.State.APPROVED,
        submitted_by=users["officer"],
    )


@pytest.fixture
def project(users, application):
    return grant_project_create(
        user=users["officer"],
        application=application,
        description="屋顶翻修",
        budget_fen=2000000,
        contractor="某建筑队",
    )


def test_a_project_is_opened_pending_with_its_kind_and_logged(users, project, application):
    assert (project.kind, project.status, project.budget_fen) == ("house_repair", S.PENDING, 2000000)
    step = ApplicationStep.objects.get(application=application)
    assert step.action == "登记资助项目" and "20000.00" in step.reason and step.user == users["officer"]


def test_a_project_moves_one_step_at_a_time_each_dated_and_logged(users, project, application):
    project = grant_project_advance(user=users["officer"], project=project, status=S.IN_PROGRESS, on=D(2024, 4, 1))
    project = grant_project_advance(user=users["officer"], project=project, status=S.COMPLETED, on=D(2024, 6, 1))
    project = grant_project_advance(user=users["admin"], project=project, status=S.ACCEPTED, on=D(2024, 6, 20))
    assert (project.started_on, project.completed_on, project.accepted_on) == (
        D(2024, 4, 1),
        D(2024, 6, 1),
        D(2024, 6, 20),
    )
    actions = list(ApplicationStep.objects.filter(application=application).values_list("action", flat=True))
    assert actions[1:] == ["资助项目：待实施→实施中", "资助项目：实施中→已完工", "资助项目：已完工→已验收"]


def test_a_step_cannot_be_skipped_or_repeated_or_dated_before_the_last(users, project):
    with pytest.raises(ValidationError, match="下一步应为“实施中”"):
        grant_project_advance(user=users["officer"], project=project, status=S.ACCEPTED, on=D(2024, 4, 1))
    project = grant_project_advance(user=users["officer"], project=project, status=S.IN_PROGRESS, on=D(2024, 4, 1))
    with pytest.raises(ValidationError, match="早于上一步"):
        grant_project_advance(user=users["officer"], project=project, status=S.COMPLETED, on=D(2024, 3, 1))
    with pytest.raises(ValidationError, match="晚于今天"):
        grant_project_advance(
            user=users["officer"],
            project=project,
            status=S.COMPLETED,
            on=datetime.date.today() + datetime.timedelta(days=1),
        )


def test_work_does_not_start_before_the_application_is_approved(users, project, application):
    Application.objects.filter(pk=application.pk).update(state=Application.State.DISTRICT_REVIEW)
    with pytest.raises(ValidationError, match="尚未批准"):
        grant_project_advance(user=users["officer"], project=project, status=S.IN_PROGRESS, on=D(2024, 4, 1))


def test_another_town_or_a_leader_cannot_touch_the_project(users, project, application):
    with pytest.raises(OutOfScope):
        grant_project_advance(user=users["other_officer"], project=project, status=S.IN_PROGRESS, on=D(2024, 4, 1))
    with pytest.raises(PermissionDenied):
        grant_project_advance(user=users["leader"], project=project, status=S.IN_PROGRESS, on=D(2024, 4, 1))
    assert GrantProject.objects.get().status == S.PENDING


def test_a_project_needs_a_project_scheme_a_budget_and_only_one_per_application(users, person, project, application):
    with pytest.raises(ValidationError, match="已有项目记录"):
        grant_project_create(user=users["officer"], application=application, description="再来", budget_fen=100)
    living = Application.objects.create(
        person=person,
        scheme=Scheme.objects.get(code="living"),
        area_code=person.area_id,
        applied_on=D(2024, 3, 12),
        applicant=Application.Applicant.SELF,
        submitted_by=users["officer"],
    )
    with pytest.raises(ValidationError, match="不需要登记资助项目"):
        grant_project_create(user=users["officer"], application=living, description="x", budget_fen=100)
    application.project.delete()
    with pytest.raises(ValidationError, match="大于 0"):
        grant_project_create(user=users["officer"], application=application, description="x", budget_fen=0)
    with pytest.raises(OutOfScope):
        grant_project_create(user=users["other_officer"], application=application, description="x", budget_fen=100)

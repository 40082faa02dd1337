"""A person who moves town takes their awards and applications to the new town's officer."""

from django.urls import reverse

from benefits.models import Application, Award
from benefits.services import application_submit
from registry.services import person_update


def test_awards_and_applications_follow_a_move_made_by_the_district(users, person, nursing, living, award_for, areas):
    award = award_for(person, nursing, "2024-01")
    application = application_submit(
        user=users["officer"],
        person=person,
        scheme=living,
        applied_on=person.birth_date.replace(year=2025),
        applicant="self",
    )
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    assert Award.objects.get(pk=award.pk).area_code == areas["hetang_a"].code
    assert Application.objects.get(pk=application.pk).area_code == areas["hetang_a"].code


def test_after_a_move_the_new_towns_officer_sees_the_application_and_the_old_one_does_not(
    login, users, person, living, areas
):
    application = application_submit(
        user=users["officer"],
        person=person,
        scheme=living,
        applied_on=person.birth_date.replace(year=2025),
        applicant="self",
    )
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_b"]})
    url = reverse("benefits:application_detail", args=[application.pk])
    assert login(users["other_officer"]).get(url).status_code == 200
    assert login(users["officer"]).get(url).status_code == 404


def test_a_move_by_import_takes_the_awards_along_once_approved(
    users, person, nursing, award_for, areas, tmp_path, settings
):
    from registry.changes import change_request_decide
    from registry.imports import persons_import
    from registry.models import ChangeRequest
    from registry.tests.test_import_rows import row_of
    from registry.tests.workbooks import write_workbook

    settings.MEDIA_ROOT = tmp_path / "media"
    award = award_for(person, nursing, "2024-01")
    row = row_of(person, **{"镇街": "荷塘镇", "村居": areas["hetang_a"].name})
    path = write_workbook(tmp_path / "迁移.xlsx", [row])
    persons_import(user=users["admin"], path_or_file=path, source_name="迁移.xlsx")
    # An import asks for the move (a change request); until a reviewer approves it the
    # person and the award stay where they were.
    request = ChangeRequest.objects.get(person=person, field=ChangeRequest.Field.AREA)
    assert Award.objects.get(pk=award.pk).area_code == person.area_id
    change_request_decide(user=users["reviewer"], request=request, approve=True)
    assert Award.objects.get(pk=award.pk).area_code == areas["hetang_a"].code

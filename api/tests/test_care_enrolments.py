import datetime

from care.models import Enrolment, WaitingEntry
from conftest import make_person

TODAY = datetime.date.today().isoformat()


def test_an_officer_enrols_a_person_and_voids_the_enrolment(api_as, world, areas):
    newcomer = make_person(areas["baisha_b"], name="周新", sequence=555, birth="19750101")
    api = api_as("officer")
    body = {"person": newcomer.pk, "institution": world.care.home.centre.pk, "started_on": TODAY}
    created = api.post("/api/care/enrolments", body)
    assert created.status_code == 201, created.content
    enrolment = Enrolment.objects.get(person=newcomer)
    listed = api.get("/api/care/enrolments", {"person": newcomer.pk}).json()["items"]
    assert [e["id"] for e in listed] == [enrolment.pk]
    assert api_as("other_officer").post(f"/api/care/enrolments/{enrolment.pk}/void", {"reason": "x"}).status_code == 404
    voided = api.post(f"/api/care/enrolments/{enrolment.pk}/void", {"reason": "录错"})
    assert voided.status_code == 200
    assert voided.json()["voided"] is True


def test_a_full_institution_puts_the_person_on_its_waiting_list(api_as, world, areas):
    newcomer = make_person(areas["baisha_b"], name="吴候", sequence=556, birth="19750101")
    full = WaitingEntry.objects.get(person=world.person).institution
    body = {"person": newcomer.pk, "institution": full.pk, "started_on": TODAY}
    response = api_as("officer").post("/api/care/enrolments", body)
    assert response.status_code == 202, response.content
    assert response.json()["ahead"] == 1
    assert "已满员" in response.json()["message"]
    assert WaitingEntry.objects.filter(person=newcomer, institution=full).count() == 1
    assert not Enrolment.objects.filter(person=newcomer).exists()


def test_an_institution_of_another_town_is_the_forms_refusal(api_as, world, areas):
    newcomer = make_person(areas["baisha_b"], name="郑外", sequence=557, birth="19750101")
    body = {"person": newcomer.pk, "institution": world.care.other.centre.pk, "started_on": TODAY}
    response = api_as("officer").post("/api/care/enrolments", body)
    assert response.status_code == 400
    assert response.json()["details"]["institution"] == ["所选机构不存在或已停用"]
    assert not Enrolment.objects.filter(person=newcomer).exists()

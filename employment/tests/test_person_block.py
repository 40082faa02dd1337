"""The person page's 就业创业 block and the person's timeline: every record of the person,
for the users who may see them, and the block's forms for the person's own town."""

from employment import services
from registry.models import Person

from .conftest import days_ago


def test_the_block_and_the_timeline(client, course, person, point, apply, users):
    officer = users["officer"]
    services.status_record(user=officer, person=person, status="seeking", changed_on=days_ago(40), point=point)
    services.assessment_record(
        user=officer, person=person, assessed_on=days_ago(39), assessor="李评估师", result="able", path="training",
        point=point,
    )  # fmt: skip
    enrolment = services.enrol(user=officer, course=course, person=person, enrolled_on=days_ago(35))
    services.enrolment_complete(user=officer, enrolment=enrolment, completed_on=days_ago(10), certificate_number="Z1")
    services.startup_review(user=users["reviewer"], support=apply(person), approve=True)
    client.force_login(officer)
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "就业创业" in page and "当前就业状态" in page and "求职中" in page
    assert "登记就业状态" in page and "受理创业扶持申请" in page
    titles = (
        "就业状态：求职中",
        "职业能力评估：具备就业能力",
        "报名培训：电子商务运营实务",
        "培训结业：电子商务运营实务",
        "申请创业扶持（自主创业）",
        "创业扶持审核：已批准",
    )
    for title in titles:
        assert title in page, title
    only = client.get(f"/persons/{person.pk}/", {"kind": "employment_training"}).content.decode()
    assert "培训结业：电子商务运营实务" in only and "创业扶持审核：已批准" not in only


def test_the_block_posts_a_status_and_refuses_a_bad_one(client, person, point, users):
    client.force_login(users["officer"])
    data = {"status-status": "employed", "status-changed_on": days_ago(2).isoformat(), "status-point": point.pk}
    response = client.post(f"/employment/persons/{person.pk}/status/", data, follow=True)
    assert "已登记就业状态" in response.content.decode()
    data["status-changed_on"] = days_ago(-3).isoformat()
    response = client.post(f"/employment/persons/{person.pk}/status/", data, follow=True)
    assert "变更日期不能晚于今天" in response.content.decode()
    assert Person.objects.get(pk=person.pk).employment_events.count() == 1


def test_centre_staff_and_leaders_see_no_block(client, person, users):
    client.force_login(users["admin"])
    assert "h-employment" in client.get(f"/persons/{person.pk}/").content.decode()
    assert not users["leader"].has_perm("employment.view_employmentevent")
    assert not users["centre"].has_perm("employment.view_employmentevent")

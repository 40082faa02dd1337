"""Posting the year's assessment from the person page, for the three users."""

import datetime

from django.urls import reverse

from rehab.models import NeedAssessment

TODAY = datetime.date.today()


def _post(client, person, **extra):
    data = {"has_need": "1", "kinds": ["physical", "visual"], "assessed_on": TODAY.isoformat(), "note": ""}
    data.update(extra)
    return client.post(reverse("rehab:assessment_save", args=[person.pk]), data)


def test_the_towns_officer_records_and_then_corrects_the_assessment(login, users, person):
    client = login(users["officer"])
    assert _post(client, person).status_code == 302
    assert NeedAssessment.objects.get().kinds == ["physical", "visual"]
    response = _post(client, person, has_need="0", kinds=[])
    assert response.status_code == 302
    assessment = NeedAssessment.objects.get()
    assert (assessment.year, assessment.has_need, assessment.kinds) == (TODAY.year, False, [])


def test_an_officer_of_another_town_gets_404(login, users, person):
    assert _post(login(users["other_officer"]), person).status_code == 404
    assert not NeedAssessment.objects.exists()


def test_a_leader_may_not_assess(login, users, person):
    assert _post(login(users["leader"]), person).status_code == 403
    assert not NeedAssessment.objects.exists()


def test_a_need_without_kinds_comes_back_with_the_reason(login, users, person):
    response = _post(login(users["officer"]), person, kinds=[])
    assert response.status_code == 400 and "请至少选择一类需求" in response.content.decode()
    assert not NeedAssessment.objects.exists()

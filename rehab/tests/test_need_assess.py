"""`need_assess`: one assessment per person and year, replaced (and kept in the history)
by a second one; validated, scoped, never by a leader."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canlian.scoping import OutOfScope
from rehab.models import NeedAssessment
from rehab.services import need_assess

TODAY = datetime.date.today()


def _assess(users, person, by="officer", **extra):
    fields = {"year": TODAY.year, "has_need": True, "kinds": ["physical"], "assessed_on": TODAY, "note": ""}
    fields.update(extra)
    return need_assess(user=users[by], person=person, **fields)


def test_an_officer_records_the_years_assessment(users, person):
    assessment, created = _assess(users, person, kinds=["visual", "physical", "physical"])
    assert created and assessment.area_code == person.area_id
    assert assessment.kinds == ["physical", "visual"]  # catalogue order, once each
    assert assessment.kind_labels == ["肢体", "视力"]
    assert assessment.assessed_by == users["officer"]


def test_a_second_assessment_in_the_year_replaces_the_first_and_the_history_keeps_it(users, person):
    first, _ = _assess(users, person)
    second, created = _assess(users, person, has_need=False, kinds=[], note="已康复")
    assert not created and second.pk == first.pk
    assert NeedAssessment.objects.get().has_need is False
    history = list(second.history.order_by("history_date").values_list("has_need", "history_user__username"))
    assert history == [(True, "officer"), (False, "officer")]


def test_another_year_is_another_assessment(users, person):
    _assess(users, person)
    last_year = TODAY.replace(year=TODAY.year - 1, day=1)
    _assess(users, person, year=last_year.year, assessed_on=last_year)
    assert NeedAssessment.objects.filter(person=person).count() == 2


def test_a_need_names_its_kinds(users, person):
    with pytest.raises(ValidationError, match="请至少选择一类需求"):
        _assess(users, person, kinds=[])


def test_no_need_names_no_kinds(users, person):
    with pytest.raises(ValidationError, match="不应选择需求类别"):
        _assess(users, person, has_need=False, kinds=["mental"])


def test_an_unknown_kind_is_refused(users, person):
    with pytest.raises(ValidationError, match="未知的需求类别：massage"):
        _assess(users, person, kinds=["massage"])


def test_the_date_lies_in_the_year(users, person):
    with pytest.raises(ValidationError, match=f"评估日期应在 {TODAY.year - 1} 年内"):
        _assess(users, person, year=TODAY.year - 1)


def test_the_date_is_not_in_the_future(users, person):
    with pytest.raises(ValidationError, match="评估日期不能晚于今天"):
        _assess(users, person, assessed_on=TODAY + datetime.timedelta(days=1))


def test_an_officer_of_another_town_may_not_assess(users, person):
    with pytest.raises(OutOfScope, match="管辖范围"):
        _assess(users, person, by="other_officer")


def test_a_leader_may_not_assess(users, person):
    with pytest.raises(PermissionDenied):
        _assess(users, person, by="leader")
    assert not NeedAssessment.objects.exists()

"""Who may enrol: the rule's parameters against a table of persons (age on the day of
enrolment, category, grade)."""

import datetime

import pytest

from care.models import AdmissionRule, InstitutionKind
from care.rules import admission_refusals, age_on

DAY = datetime.date(2026, 6, 1)
DEFAULT = AdmissionRule(kind=InstitutionKind.CENTRE, min_age=16, max_age=59, categories=[5, 6], grades=[1, 2])


@pytest.mark.parametrize(
    ("birth", "category", "grade", "admitted"),
    [
        (datetime.date(1990, 1, 1), 5, 3, True),  # intellectual
        (datetime.date(1990, 1, 1), 6, 4, True),  # mental
        (datetime.date(1990, 1, 1), 4, 1, True),  # severe physical
        (datetime.date(1990, 1, 1), 1, 2, True),  # severe visual
        (datetime.date(1990, 1, 1), 4, 3, False),  # physical, grade 3
        (datetime.date(1990, 1, 1), 2, 4, False),  # hearing, grade 4
        (datetime.date(2010, 6, 1), 5, 3, True),  # 16 on the day
        (datetime.date(2010, 6, 2), 5, 3, False),  # 16 the day after
        (datetime.date(1966, 6, 2), 5, 3, True),  # 59, turns 60 tomorrow
        (datetime.date(1966, 6, 1), 5, 3, False),  # 60 on the day
    ],
)
def test_the_default_rule(birth, category, grade, admitted):
    refusals = admission_refusals(DEFAULT, birth_date=birth, category=category, grade=grade, day=DAY)
    assert (refusals == []) is admitted


def test_each_refusal_says_why():
    refusals = admission_refusals(DEFAULT, birth_date=datetime.date(1950, 3, 3), category=4, grade=3, day=DAY)
    assert refusals == [
        "入托时年龄为 76 岁，不在 16–59 岁之间",
        "残疾类别和等级为肢体三级，不符合“智力、精神残疾，或一级、二级残疾”的条件",
    ]


def test_the_parameters_are_data():
    wider = AdmissionRule(kind=InstitutionKind.CENTRE, min_age=16, max_age=65, categories=[4, 5, 6], grades=[])
    assert admission_refusals(wider, birth_date=datetime.date(1962, 1, 1), category=4, grade=3, day=DAY) == []


def test_a_rule_without_categories_or_grades_admits_any_disability():
    ages_only = AdmissionRule(kind=InstitutionKind.BOARDING, min_age=18, max_age=80, categories=[], grades=[])
    assert admission_refusals(ages_only, birth_date=datetime.date(1970, 1, 1), category=2, grade=4, day=DAY) == []


def test_no_rule_admits_anyone():
    assert admission_refusals(None, birth_date=datetime.date(2020, 1, 1), category=2, grade=4, day=DAY) == []


def test_age_counts_full_years():
    assert age_on(datetime.date(2000, 2, 29), datetime.date(2016, 2, 28)) == 15
    assert age_on(datetime.date(2000, 2, 29), datetime.date(2016, 3, 1)) == 16


@pytest.mark.django_db
def test_the_migration_gives_every_kind_its_rule():
    rules = {rule.kind: rule for rule in AdmissionRule.objects.all()}
    assert set(rules) == set(InstitutionKind.values)
    centre = rules[InstitutionKind.CENTRE]
    assert (centre.min_age, centre.max_age, centre.categories, centre.grades) == (16, 59, [5, 6], [1, 2])

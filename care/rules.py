"""Who may enrol (入托条件): a small pure function over the kind's `AdmissionRule`, tested
against a table of cases. The parameters are data (the admin); the function only reads
them."""

import datetime

from care.models import AdmissionRule
from registry.models import Category, Grade


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Full years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def admission_refusals(rule: AdmissionRule | None, *, birth_date, category: int, grade: int, day) -> list[str]:
    """Why a person may not enrol under `rule` on `day` (empty: they may). No rule for the
    kind: anyone may."""
    if rule is None:
        return []
    reasons = []
    age = age_on(birth_date, day)
    if not rule.min_age <= age <= rule.max_age:
        reasons.append(f"入托时年龄为 {age} 岁，不在 {rule.min_age}–{rule.max_age} 岁之间")
    wanted_categories, wanted_grades = set(rule.categories), set(rule.grades)
    if (wanted_categories or wanted_grades) and category not in wanted_categories and grade not in wanted_grades:
        wanted = []
        if wanted_categories:
            wanted.append("、".join(Category(c).label for c in sorted(wanted_categories)) + "残疾")
        if wanted_grades:
            wanted.append("、".join(Grade(g).label for g in sorted(wanted_grades)) + "残疾")
        reasons.append(
            f"残疾类别和等级为{Category(category).label}{Grade(grade).label}，不符合“{'，或'.join(wanted)}”的条件"
        )
    return reasons

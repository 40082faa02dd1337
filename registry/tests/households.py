"""A household of two disabled persons (一户多残) of 白沙街道 紫沙社区, for the household tests."""

from conftest import make_person
from registry.households import household_create, person_household_set


def household_of_two(users, areas, person, *, number: str = "0020010001"):
    """`person` (户主) and 陈小红 (子女, born 2005, intellectual grade 1) in a new household."""
    household = household_create(user=users["officer"], number=number, area=areas["baisha_a"])
    second = make_person(areas["baisha_a"], name="陈小红", birth="20050101", sequence=222, category=5, grade=1)
    person_household_set(user=users["officer"], person=person, household=household, relationship="户主")
    person_household_set(user=users["officer"], person=second, household=household, relationship="子女")
    return household, second

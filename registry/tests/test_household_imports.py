"""The person import's 户号 and 与户主关系 columns, and the family-member import: rows
create or join households in the person's community, a number of another community or
town is a rejected row, and a rejected row writes nothing."""

import pytest

from conftest import make_person
from registry.household_imports import FamilyMemberImporter
from registry.households import household_create
from registry.imports import persons_import
from registry.models import FamilyMember, Household, Person
from registry.testing import make_id_number
from registry.tests.workbooks import person_row, rejected_reasons, write_workbook

FAMILY = [c.header for c in FamilyMemberImporter.columns]


@pytest.fixture
def import_persons(tmp_path, users, areas):
    from registry.excel import HEADERS

    def _run(rows, *, user="officer"):
        path = write_workbook(tmp_path / "persons.xlsx", rows, HEADERS)
        return persons_import(user=users[user], path_or_file=path, source_name="persons.xlsx")

    return _run


@pytest.fixture
def import_family(tmp_path, users):
    def _run(rows, *, user="officer"):
        path = write_workbook(tmp_path / "family.xlsx", rows, FAMILY)
        return FamilyMemberImporter(user=users[user], source_name="family.xlsx").run(path)

    return _run


def test_a_row_with_a_new_number_creates_the_household_and_joins_it(import_persons, areas):
    result = import_persons(
        [
            person_row(户号="0020010100", 与户主关系="户主"),
            person_row(name="王小红", sequence=136, 户号="0020010100", 与户主关系="子女"),
        ]
    )
    assert (result.created, result.rejected_count) == (2, 0)
    household = Household.objects.get(number="0020010100")
    assert household.area_id == areas["baisha_a"].code
    assert sorted(household.members.values_list("relationship_to_head", flat=True)) == ["子女", "户主"]


def test_a_number_of_another_community_is_a_rejected_row(import_persons, users, areas):
    household_create(user=users["admin"], number="1022010001", area=areas["hetang_a"])
    result = import_persons([person_row(户号="1022010001", 与户主关系="户主")])
    assert "户号" in rejected_reasons(result)
    assert not Person.objects.exists()


def test_an_unknown_relationship_is_a_rejected_row(import_persons):
    result = import_persons([person_row(户号="0020010100", 与户主关系="邻居")])
    assert "与户主关系" in rejected_reasons(result)
    assert not Household.objects.exists()


def test_the_same_file_again_changes_no_household(import_persons):
    rows = [person_row(户号="0020010100", 与户主关系="户主")]
    import_persons(rows)
    again = import_persons(rows)
    assert (again.created, again.updated, again.rejected_count) == (0, 0, 0)
    assert Household.objects.count() == 1


def family_row(number, *, name="王大海", sequence=501, **cells):
    row = {"户号": number, "姓名": name, "公民身份号码": make_id_number(birth="19600101", sequence=sequence)}
    row.update({"与残疾人关系": "父亲", "是否监护人": "是"}, **cells)
    return row


def test_family_members_are_imported_into_their_household(import_family, users, areas):
    household = household_create(user=users["officer"], number="0020010200", area=areas["baisha_a"])
    result = import_family(
        [
            family_row("0020010200"),
            family_row("0020010200", name="李秀梅", sequence=502, 与残疾人关系="母亲", 是否监护人="否"),
        ]
    )
    assert (result.created, result.rejected_count) == (2, 0)
    father = FamilyMember.objects.get(household=household, relationship="父亲")
    assert father.is_guardian


def test_a_household_of_another_town_is_rejected_as_unknown(import_family, users, areas):
    household_create(user=users["admin"], number="1022010002", area=areas["hetang_a"])
    result = import_family([family_row("1022010002"), family_row("9999999999", sequence=503)])
    assert "户号" in rejected_reasons(result, 2)
    assert rejected_reasons(result, 2)["户号"] == rejected_reasons(result, 3)["户号"].replace(
        "9999999999", "1022010002"
    )
    assert not FamilyMember.objects.exists()


def test_a_registered_disabled_person_is_rejected(import_family, users, areas, person):
    household_create(user=users["officer"], number="0020010200", area=areas["baisha_a"])
    result = import_family([family_row("0020010200", 公民身份号码=person.id_number)])
    assert "已登记的持证残疾人" in rejected_reasons(result)["公民身份号码"]
    assert not FamilyMember.objects.exists()


def test_an_invalid_id_number_is_rejected(import_family, users, areas):
    household_create(user=users["officer"], number="0020010200", area=areas["baisha_a"])
    result = import_family([family_row("0020010200", 公民身份号码="440703196001010012")])
    assert "公民身份号码" in rejected_reasons(result)
    assert not FamilyMember.objects.exists()


def test_the_family_list_again_is_unchanged(import_family, users, areas):
    household_create(user=users["officer"], number="0020010200", area=areas["baisha_a"])
    import_family([family_row("0020010200")])
    again = import_family([family_row("0020010200")])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_the_export_carries_the_household_columns(users, areas):
    from registry.excel import HEADERS, PersonExporter

    person = make_person(areas["baisha_a"], name="陈建国")
    household = household_create(user=users["officer"], number="0020010300", area=areas["baisha_a"])
    Person.objects.filter(pk=person.pk).update(household=household, relationship_to_head="户主")
    rows = list(PersonExporter(Person.objects.all(), reveal=False).iterate_list())
    cells = dict(zip(HEADERS, rows[0], strict=True))
    assert (cells["户号"], cells["与户主关系"]) == ("0020010300", "户主")

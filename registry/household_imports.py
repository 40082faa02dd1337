"""The family-member list (户号, 姓名, 公民身份号码, 与残疾人关系, 是否监护人, 是否照料人) on
the import framework (`canlian.importing`): one row a family member of a registered
household. A row's household must be one of the importer's scope (another town's answers
as an unknown number: scope does not leak); a registered disabled person's ID number is
refused (they are a member of the household, not a family member). The same person
already listed with the same facts is unchanged, with other facts updated, so a list
imported twice adds nothing. Everything is read for all rows at once (the households, the
registered numbers, the family members held), then written in a few statements."""

from collections import defaultdict
from contextlib import suppress
from functools import partial

from django.core.exceptions import ValidationError
from django.utils import timezone

from canlian.importing import ID_HEADER, CellError, Column, Importer, ImportResult, Row, id_column, row_numbers
from canlian.scoping import in_scope
from registry import excel
from registry.households import IS_PERSON, household_number_clean, relationship_clean
from registry.models import FamilyMember, Household, HouseholdLog, Person, Relationship
from registry.validators import FieldError, name_clean

NUMBER, NAME, RELATION, GUARDIAN, CARER = "户号", "姓名", "与残疾人关系", "是否监护人", "是否照料人"
UNKNOWN = "您的管辖范围内没有户号“{number}”，请先在户页面建户或在人员导入中填写户号"


def _number(value: object) -> str:
    try:
        return household_number_clean(excel.cell_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def _name(value: object) -> str:
    try:
        return name_clean(excel.cell_text(value))
    except FieldError as exc:
        raise CellError(str(exc)) from None


def _relation(value: object) -> str:
    try:
        return relationship_clean(excel.cell_text(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


# A yes/no cell whose error names no column (the report names it).
_yes_no = partial(excel.parse_yes_no, what="")


class FamilyMemberImporter(Importer):
    """Family members who are not disabled persons, one row each, by household number."""

    kind = "registry.family"
    title = "家庭成员"
    permission = "registry.import_persons"
    sheet_name = "家庭成员"
    template_name = "家庭成员导入模板"
    columns = (
        Column(NUMBER, required=True, parse=_number, guide="已登记的户号（人员导入时填写的户号）", width=16),
        Column(NAME, required=True, parse=_name, guide="家庭成员姓名", width=10),
        id_column(),
        Column(
            RELATION,
            required=True,
            parse=_relation,
            guide="家庭成员与残疾人的关系",
            width=14,
            values="、".join(Relationship.values),
        ),
        Column(GUARDIAN, parse=_yes_no, guide="是 或 否；不填为否", width=10, values="是、否"),
        Column(CARER, parse=_yes_no, guide="是 或 否；不填为否", width=10, values="是、否"),
    )

    def audit_data(self, result: ImportResult) -> dict:
        return {**super().audit_data(result), "kind": self.title}

    def parse_row(self, row: Row) -> None:
        row.value = {
            "number": row.values.get(NUMBER),
            "name": row.values.get(NAME),
            "relationship": row.values.get(RELATION),
            "is_guardian": bool(row.values.get(GUARDIAN)),
            "is_carer": bool(row.values.get(CARER)),
        }

    def key(self, row: Row):
        return (row.value["number"], row.id_number)

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        return ID_HEADER, f"同一户同一身份证号在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        numbers = {row.value["number"] for row in rows}
        households = {h.number: h for h in Household.objects.filter(number__in=numbers)}
        ids = {row.id_number for row in rows}
        registered = set(Person.objects.filter(id_number__in=ids).values_list("id_number", flat=True))
        held = {
            (m.household_id, m.id_number): m
            for m in FamilyMember.objects.filter(household__in=[h.pk for h in households.values()], id_number__in=ids)
        }
        new, changed = [], []
        touched: dict[int, list[str]] = defaultdict(list)
        for row in rows:
            fields = row.value
            household = households.get(fields["number"])
            if household is None or not in_scope(self.user, household):
                row.reject(NUMBER, UNKNOWN.format(number=fields["number"]))
                continue
            if row.id_number in registered:
                row.reject(ID_HEADER, IS_PERSON)
                continue
            facts = {k: fields[k] for k in ("name", "relationship", "is_guardian", "is_carer")}
            before = held.get((household.pk, row.id_number))
            if before is None:
                new.append(FamilyMember(household=household, id_number=row.id_number, created_by=self.user, **facts))
                result.created += 1
            elif all(getattr(before, k) == v for k, v in facts.items()):
                result.unchanged += 1
                continue
            else:
                for k, v in facts.items():
                    setattr(before, k, v)
                before.updated_at = timezone.now()
                changed.append(before)
                result.updated += 1
            touched[household.pk].append(fields["name"])
        FamilyMember.objects.bulk_create(new, batch_size=1000)
        FamilyMember.objects.bulk_update(
            changed, ["name", "relationship", "is_guardian", "is_carer", "updated_at"], batch_size=1000
        )
        today = timezone.localdate()
        HouseholdLog.objects.bulk_create(
            [
                HouseholdLog(
                    household_id=pk,
                    date=today,
                    title="导入家庭成员",
                    detail=f"{'、'.join(names)}（{self.source_name}）"[:200],
                    created_by=self.user,
                )
                for pk, names in touched.items()
            ]
        )


# The person import's household columns (`registry.imports.PersonImporter`) ---------------

HOUSEHOLD_HEADER, RELATION_HEADER = "户号", "与户主关系"


class PersonHouseholds:
    """The person import's optional columns 户号 and 与户主关系: each row's household,
    checked as its row is parsed (before the person is written, so a refused household
    refuses the whole row), and attached after the persons are written, in a few
    statements per 1,000 rows. A number held by a household of another community — or
    claimed in the file by a row of another community first — is refused; a new number
    creates the household in the row's community."""

    def __init__(self, table) -> None:
        self.at = table.index.get(HOUSEHOLD_HEADER)
        self.relation_at = table.index.get(RELATION_HEADER)
        self.rows: dict[str, tuple[str, str]] = {}  # ID number -> (household number, relationship)
        self.area_of: dict[str, str] = {}  # household number -> its community
        if self.at is None:
            return
        numbers = set()
        for _, cells in table.rows:
            cell = cells[self.at] if self.at < len(cells) else ""
            if not excel.is_blank(cell):
                with suppress(CellError):
                    numbers.add(_number(cell))
        ordered = sorted(numbers)
        for start in range(0, len(ordered), 1000):
            self.area_of.update(
                Household.objects.filter(number__in=ordered[start : start + 1000]).values_list("number", "area_id")
            )

    def check(self, parsed) -> None:
        """Reject the row (`parsed`, already parsed) whose household cannot be used."""
        if self.at is None or not parsed.ok:
            return
        cells = parsed.raw
        cell = cells[self.at] if self.at < len(cells) else ""
        relation_cell = (
            cells[self.relation_at] if self.relation_at is not None and self.relation_at < len(cells) else ""
        )
        if excel.is_blank(cell):
            if not excel.is_blank(relation_cell):
                parsed.reject(HOUSEHOLD_HEADER, "填写了与户主关系，但未填写户号")
            return
        try:
            number = _number(cell)
        except CellError as exc:
            parsed.reject(HOUSEHOLD_HEADER, str(exc))
            return
        try:
            relation = relationship_clean(excel.cell_text(relation_cell), label="与户主关系", blank=True)
        except ValidationError as exc:
            parsed.reject(RELATION_HEADER, exc.messages[0])
            return
        area = parsed.values["area"].code
        held = self.area_of.setdefault(number, area)
        if held != area:
            parsed.reject(
                HOUSEHOLD_HEADER,
                f"户号 {number} 已属于其他村(居)的户（或本文件中其他村(居)的行），不能用于本行的村(居)",
            )
            return
        self.rows[parsed.id_number] = (number, relation)

    def attach(self, *, user, source: str) -> int:
        """Create the new households and attach the rows' persons; returns how many persons
        joined or changed household or relationship."""
        if not self.rows:
            return 0
        from django.db.models import Case, CharField, Value, When
        from django.db.models import IntegerField as _Int

        wanted = sorted({number for number, _ in self.rows.values()})
        ids: dict[str, int] = {}
        for start in range(0, len(wanted), 1000):
            ids.update(Household.objects.filter(number__in=wanted[start : start + 1000]).values_list("number", "pk"))
        new = [Household(number=n, area_id=self.area_of[n], created_by=user) for n in wanted if n not in ids]
        Household.objects.bulk_create(new, batch_size=1000)
        if new:
            for start in range(0, len(new), 1000):
                chunk = [h.number for h in new[start : start + 1000]]
                ids.update(Household.objects.filter(number__in=chunk).values_list("number", "pk"))
        numbers = sorted(self.rows)
        joined = 0
        today = timezone.localdate()
        logs = [
            HouseholdLog(
                household_id=ids[h.number],
                date=today,
                title="建户",
                detail=f"Excel 导入：{source}"[:200],
                created_by=user,
            )
            for h in new
        ]
        for start in range(0, len(numbers), 1000):
            chunk = numbers[start : start + 1000]
            changed = [
                (pk, number)
                for pk, number, household, relation in Person.objects.filter(id_number__in=chunk).values_list(
                    "pk", "id_number", "household_id", "relationship_to_head"
                )
                if (household, relation) != (ids[self.rows[number][0]], self.rows[number][1])
            ]
            if not changed:
                continue
            Person.objects.filter(pk__in=[pk for pk, _ in changed]).update(
                household_id=Case(
                    *(When(pk=pk, then=Value(ids[self.rows[n][0]])) for pk, n in changed), output_field=_Int()
                ),
                relationship_to_head=Case(
                    *(When(pk=pk, then=Value(self.rows[n][1])) for pk, n in changed), output_field=CharField()
                ),
            )
            logs += [
                HouseholdLog(
                    household_id=ids[self.rows[n][0]],
                    person_id=pk,
                    date=today,
                    title="加入本户",
                    detail=f"与户主关系：{self.rows[n][1] or '—'}（Excel 导入）",
                    created_by=user,
                )
                for pk, n in changed
            ]
            joined += len(changed)
        HouseholdLog.objects.bulk_create(logs, batch_size=1000)
        return joined

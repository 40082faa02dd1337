"""The bulk list of an activity's participants (公民身份号码, 活动编号) on the import
framework (`canlian.importing`). Each valid row goes through `participation_add` itself,
so a list writes what adding its persons one at a time would: the person's scope, the day
against their life, the activity's dates, the five-one a 文化进家园 activity gives. A row
the system already holds (the same person, activity and day) is unchanged, so a list
imported twice adds nothing; one that differs is rejected, never changed."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from activities.models import Activity, Participation
from activities.services import participation_add
from canlian.importing import (
    ID_HEADER,
    Column,
    Importer,
    ImportResult,
    Row,
    id_column,
    reject_error,
    row_numbers,
    row_person,
    row_persons,
    rows_held,
)
from registry import excel

CODE, ATTENDED_ON, NOTE = "活动编号", "参加日期", "备注"
UNKNOWN_ACTIVITY = "未知的活动编号“{code}”，或该活动不在您的管辖范围内"


def _code(value: object) -> str:
    return "".join(excel.cell_text(value).split()).upper()


class ParticipantImporter(Importer):
    """A list of who took part: one row per person and activity."""

    kind = "activities.participants"
    title = "活动参加人员"
    permission = "activities.add_participation"
    sheet_name = "活动参加人员"
    template_name = "活动参加人员导入模板"
    columns = (
        id_column(),
        Column(CODE, required=True, parse=_code, guide="活动页面上的活动编号，如 HD20250001", width=14),
        Column(
            ATTENDED_ON,
            parse=excel.parse_date,
            guide="如 2025-05-17；不填为活动的开始日期；须在活动日期之内，不能晚于今天",
            width=14,
        ),
        Column(NOTE, parse=partial(excel.parse_text, max_length=200, what="备注"), guide="不超过 200 字", width=30),
    )

    def audit_data(self, result: ImportResult) -> dict:
        # The audit page reads its kind as words.
        return {**super().audit_data(result), "kind": self.title}

    def prepare(self) -> None:
        # The activities the user sees (their area's and the district's): at most a few
        # thousand over the years. One outside is answered as one that does not exist.
        self.activities = {a.code: a for a in Activity.objects.visible_to(self.user)}

    def parse_row(self, row: Row) -> None:
        # A cell that was blank or refused is None, or absent.
        code, day, note = (row.values.get(name) for name in (CODE, ATTENDED_ON, NOTE))
        activity = self.activities.get(code) if code else None
        if code and activity is None:
            row.reject(CODE, UNKNOWN_ACTIVITY.format(code=code))
        if activity is not None and day is not None and not activity.starts_on <= day <= activity.ends_on:
            row.reject(ATTENDED_ON, f"参加日期应在活动日期（{activity.dates_label}）之内")
        row.value = {
            "activity": activity,
            "attended_on": day or (activity.starts_on if activity else None),
            "note": note or "",
        }

    def key(self, row: Row):
        return (row.id_number, row.value["activity"].pk)

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        code = row.value["activity"].code
        return CODE, f"同一人员参加活动 {code} 在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        persons = row_persons(rows)
        held = rows_held(Participation.objects.standing(), persons, rows, "activity")
        for row in rows:
            person = row_person(row, persons, self.user)
            if person is None:
                continue
            fields = row.value
            before = held.get((person.pk, fields["activity"].pk))
            if before is not None:
                if before.attended_on == fields["attended_on"]:
                    result.unchanged += 1
                else:
                    row.reject(
                        ATTENDED_ON,
                        f"该人员已登记参加本活动（参加日期 {before.attended_on:%Y-%m-%d}），与本行不同，未修改",
                    )
                continue
            try:
                participation_add(user=self.user, person=person, **fields)
            except (ValidationError, PermissionDenied, Http404) as exc:
                reject_error(row, ATTENDED_ON if isinstance(exc, ValidationError) else ID_HEADER, exc)
                continue
            result.created += 1

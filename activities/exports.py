"""The activity workbooks on the export framework (`canlian.exporting`): the activity list
(no persons: counts only), an activity's participants and the year's five ones per person
(both through `PersonView`: masked ID numbers, and only persons of the user's scope)."""

from django.urls import reverse

from activities.models import FiveOne
from canlian.exporting import Column, ExportRefused, ListExporter, rows_of
from registry.presenters import PersonView
from registry.scoping import Privacy


def _filter_taken(form, list_name: str) -> None:
    """A filter the list page would not use refuses the export: a file is not the whole
    list when the officer asked for part of it."""
    if form.is_bound and not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        raise ExportRefused.bad_filter(errors, reverse(list_name))


def _place(activity) -> tuple[str, str]:
    return ("线上" if activity.online else "线下", activity.place)


class ActivityExporter(ListExporter):
    """The activity list's filtered rows (`selectors.with_counts`)."""

    sheet_name = filename = "活动列表"

    def __init__(self, activities, *, filters: dict) -> None:
        self.activities = activities
        self.filters = filters

    @classmethod
    def for_request(cls, request) -> "ActivityExporter":
        from activities import selectors

        activities, form = selectors.filtered_activities(request)
        _filter_taken(form, "activities:activity_list")
        return cls(selectors.with_counts(activities), filters=selectors.filter_summary(form))

    def columns(self) -> list[Column]:
        return [
            Column("活动编号", 12),
            Column("活动名称", 30),
            Column("活动类型", 18),
            Column("“五个一”项目", 14),
            Column("主办方", 20),
            Column("开始日期", 12, "date"),
            Column("结束日期", 12, "date"),
            Column("形式", 6),
            Column("活动地点", 24),
            Column("登记参加人数", 12, "int"),
            Column("志愿者人数", 10, "int"),
            Column("家属人数", 10, "int"),
            Column("线上观看人数", 12, "int"),
        ]

    def log_detail(self) -> dict:
        return {"what": "活动列表", "filters": self.filters, "revealed": False}

    def iterate_list(self):
        for a in rows_of(self.activities):
            yield [
                a.code,
                a.name,
                a.get_kind_display(),
                a.get_five_one_display() if a.five_one else "",
                a.organiser_label,
                a.starts_on,
                a.ends_on,
                *_place(a),
                a.registered,
                a.volunteers,
                a.family_members,
                a.online_viewers,
            ]


def _person_columns(privacy: Privacy) -> list[Column]:
    columns = [Column("镇街", 10), Column("村居", 10), Column("姓名", 10)]
    if privacy.personal:
        columns.append(Column("公民身份号码", 22))
    return [*columns, Column("性别", 6), Column("残疾类别", 10), Column("残疾等级", 8)]


def _person_cells(person, privacy: Privacy) -> list:
    view = PersonView(person, privacy)
    area = person.area
    cells = [area.parent.name if area.parent_id else "", area.name, view.name]
    if privacy.personal:
        cells.append(view.id_number)
    return [*cells, view.get_gender_display(), view.get_category_display(), view.get_grade_display()]


class ParticipantExporter(ListExporter):
    """One activity's participants of the user's scope (`selectors.activity_participants`)."""

    sheet_name = "参加人员"

    def __init__(self, activity, participants: list, *, privacy: Privacy) -> None:
        self.activity = activity
        self.participants = participants
        self.privacy = privacy
        self.filename = f"{activity.code}参加人员"

    def columns(self) -> list[Column]:
        return [
            *_person_columns(self.privacy),
            Column("参加日期", 12, "date"),
            Column("备注", 24),
            Column("登记人", 10),
            Column("登记时间", 17, "datetime"),
        ]

    def log_detail(self) -> dict:
        return {"what": f"活动参加人员（{self.activity.code} {self.activity.name}）", "revealed": False}

    def iterate_list(self):
        for p in rows_of(self.participants):
            yield [
                *_person_cells(p.person, self.privacy),
                p.attended_on,
                p.note if self.privacy.personal else "",
                p.recorded_by.display_name,
                p.created_at,
            ]


class FiveOnesExporter(ListExporter):
    """The five ones page's persons of a year (its filters), one row a person."""

    sheet_name = "五个一完成情况"

    def __init__(self, rows, *, year: int, privacy: Privacy, filters: dict) -> None:
        self.rows = rows
        self.year = year
        self.privacy = privacy
        self.filters = filters
        self.filename = f"{year}年五个一完成情况"

    @classmethod
    def for_request(cls, request) -> "FiveOnesExporter":
        from activities import selectors

        form, data = selectors.five_ones_filter(request)
        _filter_taken(form, "activities:five_ones")
        return cls(
            selectors.five_ones_persons(request.user, **data),
            year=data["year"],
            privacy=Privacy.for_user(request.user),
            filters=selectors.filter_summary(form),
        )

    def columns(self) -> list[Column]:
        return [
            *_person_columns(self.privacy),
            *[Column(label, 14, "date") for _value, label in FiveOne.choices],
            Column("完成项数", 10, "int"),
        ]

    def log_detail(self) -> dict:
        return {"what": "“五个一”完成情况", "year": self.year, "filters": self.filters, "revealed": False}

    def iterate_list(self):
        from activities.selectors import five_ones_rows

        entries = list(self.rows)
        for start in range(0, len(entries), 500):
            for row in five_ones_rows(entries[start : start + 500], self.year):
                self.person_seen(row.person.pk)
                dates = [record.done_on if record else "" for record in row.items]
                yield [*_person_cells(row.person, self.privacy), *dates, row.done]

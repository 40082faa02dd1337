"""The employment workbooks on the export framework (`canlian.exporting`): a course's
enrolments, the start-up supports and the placements of the user's scope (persons through
`PersonView`: masked ID numbers), and the partner county's records (masked ID numbers)."""

from canlian.exporting import Column, ListExporter, rows_of, sheet_start
from registry.identifiers import mask_id
from registry.presenters import PersonView
from registry.scoping import Privacy


def _person_columns() -> list[Column]:
    return [
        Column("镇街", 10),
        Column("村居", 10),
        Column("姓名", 10),
        Column("公民身份号码", 22),
        Column("残疾类别", 10),
        Column("残疾等级", 8),
    ]


def _person_cells(person, privacy: Privacy) -> list:
    view = PersonView(person, privacy)
    area = person.area
    return [
        area.parent.name if area.parent_id else "",
        area.name,
        view.name,
        view.id_number,
        view.get_category_display(),
        view.get_grade_display(),
    ]


class EnrolmentExporter(ListExporter):
    sheet_name = "培训人员"

    def __init__(self, course, enrolments: list, *, privacy: Privacy) -> None:
        self.course, self.enrolments, self.privacy = course, enrolments, privacy
        self.filename = f"{course.code}培训人员"

    def columns(self) -> list[Column]:
        return [
            *_person_columns(),
            Column("报名日期", 12, "date"),
            Column("出勤天数", 10, "int"),
            Column("结业日期", 12, "date"),
            Column("结业证书编号", 20),
        ]

    def log_detail(self) -> dict:
        return {"what": f"培训人员（{self.course.code} {self.course.name}）", "revealed": False}

    def iterate_list(self):
        for e in self.enrolments:
            yield [
                *_person_cells(e.person, self.privacy),
                e.enrolled_on,
                e.attended_days,
                e.completed_on,
                e.certificate_number,
            ]


class StartupExporter(ListExporter):
    sheet_name = filename = "创业扶持名单"

    def __init__(self, supports, *, privacy: Privacy, year) -> None:
        self.supports, self.privacy, self.year = supports, privacy, year

    def columns(self) -> list[Column]:
        return [
            *_person_columns(),
            Column("户主姓名", 10),
            Column("户主公民身份号码", 22),
            Column("家庭人口", 8, "int"),
            Column("扶持类型", 10),
            Column("创业或生产项目", 30),
            Column("申请日期", 12, "date"),
            Column("受理网点", 20),
            Column("审核状态", 10),
            Column("审核日期", 12, "date"),
            Column("扶持金额（元）", 12, "money"),
        ]

    def log_detail(self) -> dict:
        return {"what": "创业扶持名单", "year": self.year, "revealed": False}

    def iterate_list(self):
        for s in rows_of(self.supports):
            yield [
                *_person_cells(s.person, self.privacy),
                s.head_name,
                mask_id(s.head_id_number),
                s.household_size,
                s.get_kind_display(),
                s.business,
                s.applied_on,
                s.point.name,
                s.get_state_display(),
                s.reviewed_on,
                s.amount_fen,
            ]


class PlacementExporter(ListExporter):
    sheet_name = filename = "就业安置名单"

    def __init__(self, placements, *, privacy: Privacy, year) -> None:
        self.placements, self.privacy, self.year = placements, privacy, year

    def columns(self) -> list[Column]:
        return [
            *_person_columns(),
            Column("用人单位", 24),
            Column("爱心企业", 8),
            Column("岗位", 14),
            Column("入职日期", 12, "date"),
            Column("月工资（元）", 12, "money"),
            Column("计入按比例就业", 12),
            Column("离职日期", 12, "date"),
            Column("离职原因", 20),
            Column("推荐网点", 20),
        ]

    def log_detail(self) -> dict:
        return {"what": "就业安置名单", "year": self.year, "revealed": False}

    def iterate_list(self):
        for p in rows_of(self.placements):
            yield [
                *_person_cells(p.person, self.privacy),
                p.employer.name,
                "是" if p.employer.caring else "否",
                p.job_title,
                p.started_on,
                p.wage_fen,
                "是" if p.quota else "否",
                p.ended_on,
                p.end_reason,
                p.point.name,
            ]


class PartnerExporter(ListExporter):
    """The partner county's persons placed here and devices sent there."""

    sheet_name = "协作地区人员就业"
    filename = "粤桂协作记录"

    def __init__(self, placements, devices) -> None:
        self.placements, self.devices = placements, devices

    def columns(self) -> list[Column]:
        return [
            Column("姓名", 10),
            Column("公民身份号码", 22),
            Column("所在县", 24),
            Column("用人单位", 24),
            Column("岗位", 14),
            Column("入职日期", 12, "date"),
            Column("月工资（元）", 12, "money"),
            Column("备注", 20),
        ]

    def log_detail(self) -> dict:
        return {"what": "粤桂协作记录", "revealed": False}

    def iterate_list(self):
        for p in self.placements:
            yield [
                p.name,
                mask_id(p.id_number),
                p.county,
                p.employer.name,
                p.job_title,
                p.started_on,
                p.wage_fen,
                p.note,
            ]

    def extra_sheets(self, book, formats) -> None:

        columns = [
            Column("受助人姓名", 10),
            Column("公民身份号码", 22),
            Column("所在县", 24),
            Column("辅助器具", 20),
            Column("数量", 8, "int"),
            Column("发放日期", 12, "date"),
            Column("备注", 20),
        ]
        sheet = sheet_start(book, "协作地区辅助器具", columns, formats)
        for row, d in enumerate(self.devices, start=1):
            sheet.write_string(row, 0, d.name)
            sheet.write_string(row, 1, mask_id(d.id_number))
            sheet.write_string(row, 2, d.county)
            sheet.write_string(row, 3, d.device)
            sheet.write_number(row, 4, d.quantity)
            sheet.write_datetime(row, 5, d.sent_on, formats["date"])
            if d.note:
                sheet.write_string(row, 6, d.note)

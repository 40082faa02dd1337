"""The child rehabilitation assistance list (残疾儿童康复救助名单): the filtered applications
of the applications page, one row an application, with the child as the page shows them
(identifiers masked: the list serves settlement and reporting, not identification)."""

from canlian.exporting import Column, ListExporter, rows_of
from rehab.selectors_children import ChildView

SHEET = "残疾儿童康复救助名单"
COLUMNS = [
    Column("申请日期", 12, "date"),
    Column("年度", 8, "int"),
    Column("镇街", 10),
    Column("村居", 10),
    Column("儿童姓名", 10),
    Column("性别", 6),
    Column("身份证号或出生医学证明", 24),
    Column("申请时年龄（周岁）", 10, "int"),
    Column("残疾类别", 10),
    Column("持证情况", 10),
    Column("监护人", 10),
    Column("救助类别", 10),
    Column("救助对象类别", 14),
    Column("申请金额（元）", 14, "money"),
    Column("批准金额（元）", 14, "money"),
    Column("结算金额（元）", 14, "money"),
    Column("状态", 16),
    Column("定点康复机构", 28),
    Column("安置日期", 12, "date"),
    Column("结案日期", 12, "date"),
    Column("受理人", 10),
]


class ChildApplicationExporter(ListExporter):
    """`applications`: a queryset with the child (and its area's parent), the institution
    and the submitting user selected."""

    sheet_name = SHEET
    filename = SHEET

    def __init__(self, applications, *, filters: dict) -> None:
        self.applications = applications
        self.filters = filters

    @classmethod
    def for_request(cls, request) -> "ChildApplicationExporter":
        from rehab.selectors_children import filtered_child_applications

        applications, _form = filtered_child_applications(request)
        return cls(applications, filters=dict(request.GET.items()))

    def columns(self) -> list[Column]:
        return COLUMNS

    def log_detail(self) -> dict:
        return {"what": "rehab_child_applications", "filters": self.filters, "revealed": False}

    def iterate_list(self):
        for application in rows_of(self.applications):
            child = ChildView(application.child)
            area = child.area
            yield [
                application.applied_on,
                application.year,
                area.parent.name if area.parent_id else "",
                area.name,
                child.name,
                child.get_gender_display(),
                child.identifier,
                child.age_on(application.applied_on),
                child.get_disability_display(),
                "已持证" if child.person_id else "未持证",
                child.guardian_name,
                application.get_kind_display(),
                application.get_priority_group_display(),
                application.requested_fen,
                application.approved_fen,
                application.settled_fen,
                application.get_state_display(),
                application.institution.name if application.institution_id else "",
                application.placed_on,
                application.closed_on,
                application.submitted_by.display_name,
            ]

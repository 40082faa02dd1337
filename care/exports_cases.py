"""The overdue follow-ups (逾期随访个案) and the watches (定位手表发放名单) as workbooks.
Identifiers as the lists show them (`PersonView`: a masked ID number)."""

from django.utils import timezone

from canlian.exporting import Column, ListExporter, rows_of
from care import selectors_cases as selectors
from care.selectors_cases import NO_INSTITUTION
from registry.presenters import PersonView
from registry.scoping import Privacy


class OverdueCasesExporter(ListExporter):
    sheet_name = "逾期随访"
    filename = "逾期随访个案"

    def __init__(self, user) -> None:
        self.user = user
        self.today = timezone.localdate()
        self.towns = selectors.town_names()

    def columns(self) -> list[Column]:
        return [
            Column("风险等级", 8),
            Column("姓名", 10),
            Column("公民身份号码", 22),
            Column("镇街", 12),
            Column("托养机构", 24),
            Column("个案负责人", 12),
            Column("应随访日期", 12, "date"),
            Column("逾期天数", 9, "int"),
        ]

    def log_detail(self) -> dict:
        return {"what": "care_cases_overdue", "revealed": False}

    def iterate_list(self):
        privacy = Privacy.for_user(self.user)
        for case in rows_of(selectors.overdue_cases(self.user, self.today)):
            person = PersonView(case.person, privacy)
            yield [
                case.get_risk_display(),
                person.name,
                person.id_number,
                self.towns.get(selectors.town_of(case), ""),
                case.institution_name or NO_INSTITUTION,
                case.keyworker.display_name,
                case.next_due,
                case.overdue_days(self.today),
            ]


class WatchesExporter(ListExporter):
    sheet_name = "定位手表"
    filename = "定位手表发放名单"

    def __init__(self, user) -> None:
        self.user = user
        self.today = timezone.localdate()

    def columns(self) -> list[Column]:
        return [
            Column("托养机构", 24),
            Column("姓名", 10),
            Column("公民身份号码", 22),
            Column("设备序列号", 20),
            Column("型号", 16),
            Column("电话卡号", 16),
            Column("发放日期", 12, "date"),
            Column("服务月费（元）", 12, "money"),
        ]

    def log_detail(self) -> dict:
        return {"what": "care_watches", "revealed": False}

    def iterate_list(self):
        privacy = Privacy.for_user(self.user)
        for issue in rows_of(selectors.active_watches(self.user, self.today)):
            person = PersonView(issue.person, privacy)
            yield [
                issue.institution_name or NO_INSTITUTION,
                person.name,
                person.id_number,
                issue.device.serial,
                issue.device.model_name,
                issue.device.sim_number,
                issue.issued_on,
                issue.monthly_fee_fen,
            ]

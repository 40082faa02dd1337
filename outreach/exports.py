"""Outreach workbooks on the export framework: the persons of a campaign's list still
waiting for its gift (未发放名单). Persons are shown through `PersonView` (a masked ID number,
phone hidden unless revealed), as on the pages."""

from canlian.exporting import Column, ListExporter, rows_of
from registry.presenters import PersonView
from registry.scoping import Privacy

REMAINING_COLUMNS = [
    Column("镇街", 10),
    Column("村居", 12),
    Column("姓名", 10),
    Column("公民身份号码", 22),
    Column("性别", 6),
    Column("残疾类别", 10),
    Column("残疾等级", 8),
    Column("现住址", 30),
    Column("列入名单日期", 12, "date"),
]


class RemainingExporter(ListExporter):
    """`targets`: the remaining rows of `outreach.selectors.remaining_targets` (person
    selected); `names`: (town, community) by community code."""

    def __init__(self, campaign, targets, *, privacy: Privacy, names: dict, filters: dict) -> None:
        self.campaign = campaign
        self.targets = targets
        self.privacy = privacy
        self.names = names
        self.filters = filters
        self.sheet_name = "未发放名单"
        self.filename = f"{campaign.name}_未发放名单"

    def columns(self) -> list[Column]:
        return REMAINING_COLUMNS

    def log_detail(self) -> dict:
        return {"what": "outreach_remaining", "campaign": self.campaign.pk, "filters": self.filters, "revealed": False}

    def iterate_list(self):
        for target in rows_of(self.targets):
            person = PersonView(target.person, self.privacy)
            town, community = self.names.get(target.area_code, ("", target.area_code))
            yield [
                town,
                community,
                person.name,
                person.id_number,
                person.get_gender_display(),
                person.get_category_display(),
                person.get_grade_display(),
                person.address,
                target.added_on,
            ]


WATCH_COLUMNS = [
    Column("镇街", 10),
    Column("村居", 12),
    Column("姓名", 10),
    Column("公民身份号码", 22),
    Column("性别", 6),
    Column("年龄", 6, "int"),
    Column("残疾类别", 10),
    Column("残疾等级", 8),
    Column("现住址", 30),
    Column("责任人", 10),
    Column("联系间隔（天）", 10, "int"),
    Column("最近联系", 12, "date"),
    Column("下次应联系", 12, "date"),
    Column("逾期天数", 10, "int"),
]


class WatchExporter(ListExporter):
    """The watch list as filtered on its page (`outreach.watch.filtered_watch`)."""

    sheet_name = "独居关爱名单"
    filename = "独居关爱名单"

    def __init__(self, persons, *, privacy: Privacy, names: dict, filters: dict, today) -> None:
        self.persons = persons
        self.privacy = privacy
        self.names = names
        self.filters = filters
        self.today = today

    def columns(self) -> list[Column]:
        return WATCH_COLUMNS

    def log_detail(self) -> dict:
        return {"what": "outreach_watch", "filters": self.filters, "revealed": False}

    def iterate_list(self):
        from outreach.watch import watch_state, worker_name

        for person in rows_of(self.persons):
            view = PersonView(person, self.privacy)
            state = watch_state(person.last_contact, person.interval, self.today)
            town, community = self.names.get(person.area_id, ("", person.area_id))
            yield [
                town,
                community,
                view.name,
                view.id_number,
                view.get_gender_display(),
                view.age,
                view.get_category_display(),
                view.get_grade_display(),
                view.address,
                worker_name(person),
                state.interval,
                state.last,
                state.due,
                max(state.overdue_days, 0),
            ]


HOME_SERVICE_COLUMNS = [
    Column("镇街", 10),
    Column("村居", 12),
    Column("姓名", 10),
    Column("公民身份号码", 22),
    Column("服务类别", 10),
    Column("申请日期", 12, "date"),
    Column("申请人", 10),
    Column("服务需求", 30),
    Column("应完成日期", 12, "date"),
    Column("服务人员", 16),
    Column("完成日期", 12, "date"),
    Column("服务情况", 30),
    Column("是否满意", 8),
    Column("服务对象意见", 30),
    Column("逾期天数", 10, "int"),
]


class HomeServiceExporter(ListExporter):
    """The home-service requests as filtered on their page
    (`outreach.homeservices.filtered_requests`)."""

    sheet_name = "上门服务"
    filename = "上门服务"

    def __init__(self, requests, *, privacy: Privacy, names: dict, filters: dict, today) -> None:
        self.requests = requests
        self.privacy = privacy
        self.names = names
        self.filters = filters
        self.today = today

    def columns(self) -> list[Column]:
        return HOME_SERVICE_COLUMNS

    def log_detail(self) -> dict:
        return {"what": "outreach_home_services", "filters": self.filters, "revealed": False}

    def iterate_list(self):
        satisfied = {True: "满意", False: "不满意", None: ""}
        for request in rows_of(self.requests):
            person = PersonView(request.person, self.privacy)
            town, community = self.names.get(request.area_code, ("", request.area_code))
            yield [
                town,
                community,
                person.name,
                person.id_number,
                request.get_kind_display(),
                request.requested_on,
                request.requested_by,
                request.what,
                request.due_on,
                request.assignee,
                request.done_on,
                request.done_what,
                satisfied[request.satisfied],
                request.feedback,
                request.overdue_days(self.today),
            ]

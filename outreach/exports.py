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

"""The service-record workbook: the filtered list of the records page, one row a record.
Identifiers are shown as the person list shows them (`PersonView`): a masked ID number for
officers, no name (only a masked one) and no identifier for a user without access to
personal data (a leader)."""

from canlian.exporting import Column, ListExporter, rows_of
from registry.presenters import PersonView
from registry.scoping import Privacy

RECORD_SHEET = "康复服务记录"
COLUMNS = [
    Column("服务日期", 12, "date"),
    Column("镇街", 10),
    Column("村居", 10),
    Column("姓名", 10),
    Column("公民身份号码", 22),
    Column("残疾类别", 10),
    Column("康复项目编号", 10),
    Column("康复项目", 24),
    Column("康复类别", 10),
    Column("服务机构", 28),
    Column("服务次数", 10, "int"),
    Column("备注", 30),
    Column("登记人", 10),
    Column("登记时间", 17, "datetime"),
]
PERSONAL_ONLY = "公民身份号码"


def _columns(privacy: Privacy) -> list[Column]:
    return [column for column in COLUMNS if privacy.personal or column.header != PERSONAL_ONLY]


class RecordExporter(ListExporter):
    """`records`: a queryset with person, item, provider and recorded_by selected.
    `names`: (town, community) by community code (`selectors.area_names`)."""

    sheet_name = RECORD_SHEET
    filename = RECORD_SHEET
    job_kind = "rehab.records"

    def __init__(
        self, records, *, privacy: Privacy, names: dict[str, tuple[str, str]], filters: dict, query: str = ""
    ) -> None:
        self.records = records
        self.privacy = privacy
        self.names = names
        self.filters = filters
        self.query = query

    @classmethod
    def for_request(cls, request) -> "RecordExporter":
        """The records page's filtered list (its GET parameters)."""
        from registry.scoping import areas_visible_to
        from rehab import selectors

        records, _form = selectors.filtered_records(request)
        return cls(
            selectors.with_display(records),
            privacy=Privacy.for_user(request.user),
            names=selectors.area_names(areas_visible_to(request.user)),
            filters=dict(request.GET.items()),
            query=request.GET.urlencode(),
        )

    def count(self) -> int:
        return self.records.count()

    def columns(self) -> list[Column]:
        return _columns(self.privacy)

    def log_detail(self) -> dict:
        return {"what": "rehab_records", "filters": self.filters, "revealed": False}

    def iterate_list(self):
        personal = self.privacy.personal
        for record in rows_of(self.records):
            person = PersonView(record.person, self.privacy)
            town, community = self.names.get(record.area_code, ("", record.area_code))
            row = [record.served_on, town, community, person.name]
            if personal:
                row.append(person.id_number)
            row += [
                person.get_category_display(),
                record.item.code,
                record.item.name,
                record.item.get_kind_display(),
                record.provider.name,
                record.sessions,
                # Free text may name anyone: not for a user without access to personal data.
                record.note if personal else "",
                record.recorded_by.display_name,
                record.created_at,
            ]
            yield row

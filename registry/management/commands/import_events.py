"""`python manage.py import_events FILE.xlsx [--user USERNAME] [--rejected OUT.xlsx]`"""

from canlian.import_command import ImporterCommand
from registry.comparison import EVENT_COLUMNS, EventsImporter


class Command(ImporterCommand):
    """The options, user, progress and report of every import; the rows are dated events."""

    importer = EventsImporter
    help = (
        f"数据比对：导入其他部门的事件名单（.xlsx/.xls，列为 {'、'.join(EVENT_COLUMNS)}），按日期登记死亡、迁出、"
        "证件注销、等级/类别/经济状况变更和证件换发。文件可读即退出码为 0，即使有行被拒绝；文件被拒绝时退出码非 0。"
    )

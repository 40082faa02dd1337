"""The audit log's workbook: the filtered list of its page, one row an entry."""

import json

from canlian.exporting import Column, ListExporter, rows_of

AUDIT_SHEET = "审计日志"
# (header, key of `entry_cells`); the time and the person's number are written typed.
AUDIT_COLUMNS = [
    ("时间", "time"),
    ("用户", "user"),
    ("账号", "username"),
    ("操作", "label"),
    ("操作代码", "action"),
    ("对象类型", "object_type"),
    ("对象编号", "object_id"),
    ("人员编号", "person_id"),
    ("客户端地址", "ip_address"),
    ("详情", "data"),
    ("原始数据", "raw"),
]


# The data's keys and coded values as the audit page shows them: an auditor reads Chinese.
DATA_LABELS = {
    "rows": "行数",
    "year": "年度",
    "month": "月份",
    "filters": "筛选条件",
    "revealed": "含完整证件号",
    "file": "文件",
    "filename": "文件",
    "kind": "类型",
    "reason": "原因",
    "scheme": "补贴项目",
    "message": "说明",
    "export": "导出内容",
    "what": "导出内容",
    "list": "名单",
    "date": "日期",
    "page": "页面",
    "state": "状态",
    "status": "状态",
    "summary": "结果",
    "total_fen": "金额（分）",
    "target": "目标值",
    "reveal": "含完整证件号",
    "retired_on": "注销日期",
    "plate": "车牌号",
    "on": "日期",
    "note": "备注",
    "label": "名称",
    "changed": "变更",
    "ended": "终止",
    "end_month": "终止月份",
    "batch": "批次",
    "level": "级别",
    "name": "名称",
    "day": "日期",
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "rejected": "拒绝",
    "total": "合计",
    "months": "月数",
    "persons": "人数",
    "person_count": "涉及人数",
    "person_digest": "人员摘要",
    "lines": "明细行数",
    "version": "草稿版本",
    "count": "数量",
    "q": "搜索",
    "town": "镇街",
    "community": "村居",
    "area": "区划",
    "category": "残疾类别",
    "grade": "残疾等级",
    "economic": "经济状况",
    "economic_status": "经济状况",
    "lives_alone": "独居",
    "person": "人员",
    "user": "用户",
    "action": "操作",
    "item": "康复项目",
    "provider": "服务机构",
    "sort": "排序",
    "from": "起",
    "to": "止",
    "job": "后台任务",
}
VALUE_LABELS = {
    "edit": "编辑页",
    "admin": "系统管理",
    "admin_history": "系统管理·历史版本",
    "admin_search": "系统管理·搜索",
    "vehicles": "机动轮椅车登记",
    "detail": "人员详情页",
    "rehab_records": "康复服务记录",
    "indicators": "目标与指标",
    "events": "数据比对",
    "awards": "补贴名单",
    "persons": "持证残疾人",
}


def data_text(data) -> str:
    """An entry's data in words: labelled keys, 是/否 for yes and no, coded values named."""
    if isinstance(data, dict):
        parts = [
            f"{DATA_LABELS.get(key, key)}：{kind_label(value) if key == 'kind' else data_text(value)}"
            for key, value in sorted(data.items())
        ]
        return "；".join(parts) if parts else "无"
    if isinstance(data, bool):
        return "是" if data else "否"
    if isinstance(data, list):
        return "、".join(data_text(value) for value in data)
    if data is None or data == "":
        return "—"
    return VALUE_LABELS.get(data, str(data)) if isinstance(data, str) else str(data)


def kind_label(kind) -> str:
    """An import's kind (`rehab.services`) as its title (康复服务记录), as the officer named it."""
    from canlian.importing import IMPORTERS

    importer = IMPORTERS.get(kind) if isinstance(kind, str) else None
    return importer.title if importer else data_text(kind)


def entry_cells(entry) -> dict[str, str]:
    """What the page and the workbook show of an entry, as text."""
    return {
        "user": entry.user.display_name if entry.user else "系统（命令行）",
        "username": entry.user.username if entry.user else "",
        "label": entry.action_label,
        "action": entry.action,
        "object_type": entry.content_type.name if entry.content_type else "",
        "object_id": entry.object_id,
        "ip_address": entry.ip_address or "",
        "data": data_text(entry.data) if entry.data else "",
        "raw": json.dumps(entry.data, ensure_ascii=False, sort_keys=True) if entry.data else "",
    }


class AuditExporter(ListExporter):
    """`entries` (user and content type selected), one row an entry."""

    sheet_name = AUDIT_SHEET
    filename = AUDIT_SHEET
    job_kind = "canlian.audit"

    def __init__(self, entries, *, filters: dict, query: str = "") -> None:
        self.entries = entries
        self.filters = filters
        self.query = query

    @classmethod
    def for_request(cls, request) -> "AuditExporter":
        """The audit page's filtered list (its GET parameters)."""
        from canlian.audit_selectors import filtered_entries, with_display

        entries, _form = filtered_entries(request.GET)
        return cls(with_display(entries), filters=dict(request.GET.items()), query=request.GET.urlencode())

    def count(self) -> int:
        return self.entries.count()

    def columns(self) -> list[Column]:
        widths = {"time": 20, "user": 12, "label": 22, "action": 28, "object_type": 14, "data": 60, "raw": 40}
        kinds = {"time": "seconds", "person_id": "int"}
        return [Column(title, widths.get(key, 10), kinds.get(key, "text")) for title, key in AUDIT_COLUMNS]

    def iterate_list(self):
        for entry in rows_of(self.entries):
            cells = {**entry_cells(entry), "time": entry.created_at, "person_id": entry.person_id}
            yield [cells[key] for _title, key in AUDIT_COLUMNS]

    def log_detail(self) -> dict:
        return {"filters": self.filters}

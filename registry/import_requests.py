"""The key fields of a registered person in a person import: requests, not writes (issue 18).

A person import may not change a registered person's bank account, household registration
area (户籍), guardian or economic status (a person workbook is no comparison list): where
its row differs from the stored value, the import asks for the change as the importing
officer (`registry.changes`), with the imported workbook as the evidence, and a district
reviewer decides. Until then the stored value stays in force, and the row's report says
so ("已提交变更申请，待审核"). A second import of the same file asks nothing again: a
pending request of that field, the same or another, is reported instead. New persons take
the file's values directly (`registry.imports`).

`ImportRequests` collects the rows' requests while the import updates the registered
persons and writes them at the end: one read of the pending requests, one INSERT, the
workbook stored once for all of them.
"""

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files import File

from accounts.models import User
from canlian.audit import audit_write
from canlian.importing import CheckedRow, Issue, Source
from registry.changes import REQUEST_FIELDS
from registry.models import ChangeRequest, Status

Field = ChangeRequest.Field

# The person import's plain fields (`registry.imports.PLAIN_FIELDS`) that change a
# registered person only by a request; the economic status, an event field, too.
REQUEST_PLAIN_FIELDS = frozenset({"area", "guardian_name", "guardian_phone", "bank_name", "bank_account"})
REQUEST_EVENT_FIELDS = frozenset({"economic_status"})
# The row's value (`ParsedRow.values`) of each field a request changes.
_VALUE_OF = {"area_id": "area"}
# The column a request's warning names.
REQUEST_COLUMNS = {Field.BANK: "银行账号", Field.AREA: "村居", Field.GUARDIAN: "监护人姓名", Field.ECONOMIC: "经济状况"}
CHUNK = 1000


def asked_changes(stored: Any, values: dict, keep: object) -> dict[str, dict[str, str]]:
    """{request field: its new values} of the key fields the row's `values` change on the
    registered person `stored` (a cell left empty, `keep`, keeps the stored value), as
    `registry.changes.current_values` reads them."""
    asked = {}
    for request_field, names in _FIELDS:
        # Compared first, built only when they differ: most rows of a reimport change none.
        for name, key in names:
            value = values.get(key, keep)
            if value is not keep and _text(value, name) != str(getattr(stored, name) or ""):
                break
        else:
            continue
        old = {name: str(getattr(stored, name) or "") for name, _ in names}
        new = dict(old)
        for name, key in names:
            value = values.get(key, keep)
            if value is not keep:
                new[name] = _text(value, name)
        asked[request_field] = {"old": old, "new": new}
    return asked


# (request field, ((Person attribute, the row's value key), ...)), read once.
_FIELDS = [
    (request_field, tuple((name, _VALUE_OF.get(name, name)) for name in names))
    for request_field, names in REQUEST_FIELDS.items()
]


def _text(value: Any, name: str) -> str:
    return value.code if name == "area_id" else str(value or "")


@dataclass
class _Asked:
    row: CheckedRow
    person_id: int
    field: str
    old: dict[str, str]
    new: dict[str, str]


@dataclass
class ImportRequests:
    """The change requests of one import, written by `write()`."""

    user: User
    source: Source | None
    source_name: str
    today: datetime.date
    asked: list[_Asked] = field(default_factory=list)
    _evidence: str | None = None

    def plan(self, row: CheckedRow, stored: Any, asked: dict[str, dict[str, str]], *, status: str) -> None:
        """The requests of one row of a registered person (`status`: theirs after the row),
        or the warning why a difference is not asked for."""
        for request_field, values in asked.items():
            label = Field(request_field).label
            column = REQUEST_COLUMNS[request_field]
            prefix = f"{label}与系统登记的不同："
            if status != Status.ACTIVE:
                row.warnings.append(
                    Issue(column, f"{prefix}该人员状态为“{Status(status).label}”，不能申请变更，未修改")
                )
            elif not self.user.has_perm("registry.add_changerequest"):
                row.warnings.append(Issue(column, f"{prefix}您没有提出变更申请的权限，未修改"))
            elif request_field == Field.BANK and not all(values["new"].values()):
                row.warnings.append(Issue(column, f"{prefix}开户银行和银行账号须都填写才能申请变更，未修改"))
            else:
                self.asked.append(_Asked(row, stored.id, request_field, values["old"], values["new"]))

    def write(self) -> int:
        """Write the planned requests (a field with one pending already is reported, not
        asked again) and report each on its row. Returns how many were made."""
        if not self.asked:
            return 0
        pending: dict[tuple[int, str], dict] = {}
        ids = sorted({a.person_id for a in self.asked})
        for start in range(0, len(ids), CHUNK):
            found = ChangeRequest.objects.filter(
                state=ChangeRequest.State.PENDING, person_id__in=ids[start : start + CHUNK]
            ).values_list("person_id", "field", "new_value")
            pending.update(((person, kind), new) for person, kind, new in found)
        made: list[tuple[_Asked, ChangeRequest]] = []
        reason = f"Excel 导入：{self.source_name}"[:200]
        for asked in self.asked:
            label = Field(asked.field).label
            prefix = f"{label}与系统登记的不同："
            column = REQUEST_COLUMNS[asked.field]
            waiting = pending.get((asked.person_id, asked.field))
            if waiting == asked.new:
                asked.row.warnings.append(Issue(column, f"{prefix}已有相同的变更申请待审核，未重复提交"))
                continue
            if waiting is not None:
                asked.row.warnings.append(
                    Issue(column, f"{prefix}该人员已有一项待审核的{label}变更申请，本次未提交，请等待审核结果后再导入")
                )
                continue
            request = ChangeRequest(
                person_id=asked.person_id,
                field=asked.field,
                old_value=asked.old,
                new_value=asked.new,
                effective_on=self.today if asked.field == Field.ECONOMIC else None,
                reason=reason,
                evidence=self.evidence(),
                evidence_name=Path(self.source_name).name[:120],
                requested_by=self.user,
                requested_on=self.today,
            )
            made.append((asked, request))
        if not made:
            return 0
        ChangeRequest.objects.bulk_create([request for _, request in made], batch_size=500)
        for asked, request in made:
            message = f"{Field(asked.field).label}与系统登记的不同：已提交变更申请，待审核"
            asked.row.warnings.append(Issue(REQUEST_COLUMNS[asked.field], message))
            audit_write(
                action="registry.change.requested",
                user=self.user,
                obj=request,
                person=asked.person_id,
                data={"field": asked.field, "import": self.source_name},
            )
        return len(made)

    def evidence(self) -> str:
        """The stored copy of the imported workbook, the evidence of all of the import's
        requests (stored once, on the first one)."""
        if self._evidence is None:
            evidence = ChangeRequest._meta.get_field("evidence")
            suffix = Path(self.source_name).suffix.lower() or ".xlsx"
            name = evidence.generate_filename(None, f"import{suffix}")
            if isinstance(self.source, (str, os.PathLike)):
                with open(self.source, "rb") as handle:
                    self._evidence = evidence.storage.save(name, File(handle))
            else:
                self.source.seek(0)
                self._evidence = evidence.storage.save(name, File(self.source))
        return self._evidence

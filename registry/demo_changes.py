"""Demo change requests (变更申请): a few pending, approved and rejected in each of two
towns, made through the services as the towns' officers and decided by the reviewer, so
the list, the person pages and the reviewer's work list have something to show."""

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from areas.demo_data import TOWNS
from areas.models import Area, Level
from registry.changes import change_request_create, change_request_decide
from registry.models import ChangeRequest, EconomicStatus, Person, Status

# A one-page PDF: what a scanned bank card or household register stands for in the demo.
EVIDENCE = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"

# (field, values or a function of the person, reason, decision: None pending, else (approve, reason))
PLAN = (
    ("bank", {"bank_name": "中国农业银行江门分行", "bank_account": "6228480088812345"}, "原银行卡挂失补办", None),
    ("guardian", {"guardian_name": "陈志强", "guardian_phone": "13922334455"}, "原监护人年老，改由儿子监护", None),
    ("economic", {"economic_status": EconomicStatus.DIBAO}, "民政部门新认定为低保对象", None),
    ("bank", {"bank_name": "江门农商银行", "bank_account": "6228480099954321"}, "更换社保卡银行账户", (True, "")),
    ("area", None, "户口迁入本街道另一社区", (True, "户口簿已核")),
    (
        "guardian",
        {"guardian_name": "李美华", "guardian_phone": "13800001111"},
        "变更监护人",
        (False, "缺少法院指定监护文书"),
    ),
)


def seed_change_requests(stdout) -> None:
    if ChangeRequest.objects.exists():
        stdout.write("已有变更申请，未重复生成。")
        return
    reviewer = User.objects.filter(username="reviewer").first()
    made = 0
    with transaction.atomic():
        for town in TOWNS[:2]:
            officer = User.objects.filter(username=town.login).first()
            persons = list(
                Person.objects.filter(area__code__startswith=town.code[:9], status=Status.ACTIVE)
                .exclude(economic_status=EconomicStatus.DIBAO)
                .order_by("id")[: len(PLAN)]
            )
            if officer is None or reviewer is None or len(persons) < len(PLAN):
                continue
            other_community = (
                Area.objects.filter(level=Level.COMMUNITY, is_active=True, code__startswith=town.code[:9])
                .order_by("code")
                .exclude(code=persons[4].area_id)
                .first()
            )
            for person, (field, values, reason, decision) in zip(persons, PLAN, strict=True):
                if field == "area":
                    values = {"area_id": other_community.code}
                request = change_request_create(
                    user=officer,
                    person=person,
                    field=field,
                    values=values,
                    reason=reason,
                    evidence=ContentFile(EVIDENCE, name="证明材料.pdf"),
                    effective_on=person.created_at.date() if field == "economic" else None,
                )
                if decision is not None:
                    approve, why = decision
                    change_request_decide(user=reviewer, request=request, approve=approve, reason=why)
                made += 1
    stdout.write(f"变更申请：{made} 项（待审核、已批准、不予批准）。")

"""Change requests (变更申请) of key fields: asked by a town officer with evidence, decided
by a district reviewer who did not ask, applied on approval as a dated change; every
refusal is a Chinese message that writes nothing."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from accounts.roles import Role
from accounts.services import user_create
from areas.models import Area, Level
from canlian.models import AuditEntry
from canlian.scoping import OutOfScope
from registry.changes import change_request_create, change_request_decide
from registry.models import ChangeRequest, EventKind, PersonEvent, Status
from registry.services import person_event_record

D = datetime.date
PDF = b"%PDF-1.4\n"
NEW_BANK = {"bank_name": "中国农业银行江门分行", "bank_account": "6228480099990001"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pdf(name="card.pdf", content=PDF):
    return ContentFile(content, name=name)


def _ask(user, person, field="bank", values=None, **extra):
    extra.setdefault("reason", "银行卡挂失补办")
    extra.setdefault("evidence", _pdf())
    return change_request_create(user=user, person=person, field=field, values=values or NEW_BANK, **extra)


def test_a_request_waits_for_the_district_and_the_old_account_stays_in_force(users, person):
    request = _ask(users["officer"], person)
    person.refresh_from_db()
    assert request.state == ChangeRequest.State.PENDING
    assert person.bank_account == "6228480012345678"
    assert request.old_value == {"bank_name": "江门农商银行", "bank_account": "6228480012345678"}
    assert request.new_value == NEW_BANK
    assert request.evidence.read() == PDF and request.evidence_name == "card.pdf"
    entry = AuditEntry.objects.get(action="registry.change.requested")
    assert entry.user == users["officer"] and entry.person_id == person.pk and entry.data == {"field": "bank"}


def test_an_approval_applies_the_account_as_the_reviewers_edit_kept_in_the_history(users, person):
    request = _ask(users["officer"], person)
    change_request_decide(user=users["reviewer"], request=request, approve=True)
    person.refresh_from_db()
    request.refresh_from_db()
    assert (person.bank_name, person.bank_account) == ("中国农业银行江门分行", "6228480099990001")
    assert request.state == ChangeRequest.State.APPROVED and request.decided_by == users["reviewer"]
    latest = person.history.order_by("-history_date").first()
    assert latest.history_user == users["reviewer"]
    assert latest.history_change_reason == f"变更申请 #{request.pk}（银行账户）"
    assert AuditEntry.objects.filter(action="registry.change.approved", person_id=person.pk).count() == 1


def test_a_rejection_needs_a_reason_and_changes_nothing(users, person):
    request = _ask(users["officer"], person)
    with pytest.raises(ValidationError, match="不予批准须填写原因"):
        change_request_decide(user=users["reviewer"], request=request, approve=False, reason=" ")
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.PENDING
    change_request_decide(user=users["reviewer"], request=request, approve=False, reason="银行卡复印件不清晰")
    person.refresh_from_db()
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.REJECTED and request.decision_reason == "银行卡复印件不清晰"
    assert person.bank_account == "6228480012345678"
    assert AuditEntry.objects.filter(action="registry.change.rejected").count() == 1


def test_the_requester_may_not_decide_their_own_request(users, areas, person):
    both = user_create(
        username="asks_and_decides", password="x" * 12, role=Role.DISTRICT_REVIEWER, area=areas["district"]
    )
    both.user_permissions.add(Permission.objects.get(codename="add_changerequest"))
    request = _ask(both, person)
    with pytest.raises(PermissionDenied, match="不能审核自己提出的变更申请"):
        change_request_decide(user=both, request=request, approve=True)
    request.refresh_from_db()
    person.refresh_from_db()
    assert request.state == ChangeRequest.State.PENDING and person.bank_account == "6228480012345678"


def test_a_town_officer_may_not_decide_and_a_reviewer_may_not_ask(users, person):
    request = _ask(users["officer"], person)
    with pytest.raises(PermissionDenied):
        change_request_decide(user=users["officer"], request=request, approve=True)
    with pytest.raises(PermissionDenied):
        _ask(users["reviewer"], person, field="guardian", values={"guardian_name": "陈小明"})


def test_a_decided_request_is_not_decided_again(users, person):
    request = _ask(users["officer"], person)
    change_request_decide(user=users["reviewer"], request=request, approve=False, reason="材料不全")
    with pytest.raises(ValidationError, match="已审核"):
        change_request_decide(user=users["reviewer_who_prepares"], request=request, approve=True)


def test_an_economic_status_is_applied_as_a_dated_event_from_its_day(users, person):
    request = _ask(
        users["officer"],
        person,
        field="economic",
        values={"economic_status": "dibao"},
        reason="民政认定低保",
        effective_on=D(2025, 3, 1),
    )
    change_request_decide(user=users["reviewer"], request=request, approve=True)
    person.refresh_from_db()
    event = PersonEvent.objects.get(person=person)
    assert person.economic_status == "dibao"
    assert (event.kind, event.date, event.old_value, event.new_value) == (
        EventKind.ECONOMIC,
        D(2025, 3, 1),
        "none",
        "dibao",
    )
    assert event.source == "变更申请" and event.created_by == users["reviewer"]


def test_an_area_change_may_move_the_person_to_another_town_on_the_districts_approval(users, areas, person):
    request = _ask(
        users["officer"], person, field="area", values={"area_id": areas["hetang_a"].code}, reason="户口迁入"
    )
    change_request_decide(user=users["reviewer"], request=request, approve=True)
    person.refresh_from_db()
    assert person.area_id == areas["hetang_a"].code


def test_an_officer_may_not_ask_for_a_person_of_another_town(users, other_person):
    with pytest.raises(OutOfScope):
        _ask(users["officer"], other_person)
    assert not ChangeRequest.objects.exists()


def test_a_guardian_change_is_applied_with_both_fields(users, person):
    values = {"guardian_name": "陈小明", "guardian_phone": "13900001111"}
    request = _ask(users["officer"], person, field="guardian", values=values, reason="法院指定")
    change_request_decide(user=users["reviewer"], request=request, approve=True)
    person.refresh_from_db()
    assert (person.guardian_name, person.guardian_phone) == ("陈小明", "13900001111")


def _outside_district_area() -> Area:
    return Area.objects.create(code="440704001001", name="外区社区", level=Level.COMMUNITY)


BAD_REQUESTS = [
    ("bank", {"bank_name": "江门农商银行", "bank_account": "6228480012345678"}, {}, "与现在登记的相同"),
    ("economic", {"economic_status": "none"}, {"effective_on": D(2025, 1, 1)}, "与现在登记的相同"),
    ("area", {"area_id": "outside"}, {}, "不在本区现行的村"),
    ("bank", {"bank_name": "某银行", "bank_account": "12ab"}, {}, "银行账号应为 8–30 位数字"),
    ("economic", {"economic_status": "dibao"}, {}, "请填写经济状况变更的生效日期"),
    ("economic", {"economic_status": "dibao"}, {"effective_on": D(2099, 1, 1)}, "生效日期不能晚于今天"),
    ("bank", NEW_BANK, {"evidence": _pdf("card.docx", b"PK\x03\x04")}, "不是 PDF、JPG、PNG 或 Excel"),
    ("bank", NEW_BANK, {"evidence": _pdf("card.pdf", b"GIF89a")}, "内容与扩展名 .pdf 不符"),
    ("bank", NEW_BANK, {"evidence": None}, "请上传证明材料"),
    ("bank", NEW_BANK, {"reason": ""}, "请填写申请理由"),
]


def test_a_bad_request_is_refused_with_a_chinese_message_and_writes_nothing(users, person):
    outside = _outside_district_area().code
    before = AuditEntry.objects.count()
    for field, values, extra, message in BAD_REQUESTS:
        if values.get("area_id") == "outside":
            values = {"area_id": outside}
        with pytest.raises(ValidationError, match=message):
            _ask(users["officer"], person, field=field, values=values, **extra)
    assert not ChangeRequest.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(("kind", "label"), [(EventKind.DEATH, "死亡"), (EventKind.MOVED_OUT, "迁出")])
def test_a_request_on_a_deceased_or_moved_out_person_is_refused(users, person, kind, label):
    person_event_record(user=users["officer"], person=person, kind=kind, date=D(2025, 1, 1))
    with pytest.raises(ValidationError, match=f"状态为“{label}”，不能申请变更"):
        _ask(users["officer"], person)
    assert not ChangeRequest.objects.exists()


def test_an_oversized_evidence_file_is_refused(users, person):
    from registry.changes import EVIDENCE_MAX_BYTES

    with pytest.raises(ValidationError, match="超过 5 MB"):
        _ask(users["officer"], person, evidence=_pdf(content=PDF + b"\0" * EVIDENCE_MAX_BYTES))
    assert not ChangeRequest.objects.exists()


def test_an_xlsx_or_an_image_is_accepted_as_evidence(users, person):
    _ask(users["officer"], person, evidence=_pdf("认定表.xlsx", b"PK\x03\x04rest"))
    _ask(
        users["officer"],
        person,
        field="guardian",
        values={"guardian_name": "陈小明"},
        evidence=_pdf("x.png", b"\x89PNG\r\n\x1a\n"),
    )
    assert ChangeRequest.objects.count() == 2


def test_a_second_pending_request_of_the_same_field_is_refused_another_field_is_not(users, person):
    _ask(users["officer"], person)
    with pytest.raises(ValidationError, match="已有一项待审核的银行账户变更申请"):
        _ask(users["officer"], person, values={"bank_name": "另一银行", "bank_account": "6228480099990002"})
    _ask(users["officer"], person, field="guardian", values={"guardian_name": "陈小明"})
    assert ChangeRequest.objects.count() == 2


def test_after_a_decision_the_field_may_be_asked_for_again(users, person):
    first = _ask(users["officer"], person)
    change_request_decide(user=users["reviewer"], request=first, approve=False, reason="材料不全")
    again = _ask(users["officer"], person)
    assert again.state == ChangeRequest.State.PENDING


def test_an_approval_is_refused_when_the_person_died_or_the_field_changed_since(users, person):
    request = _ask(users["officer"], person)
    person.bank_account = "6228480077770000"
    person.save()
    with pytest.raises(ValidationError, match="已有变动"):
        change_request_decide(user=users["reviewer"], request=request, approve=True)
    person_event_record(user=users["officer"], person=person, kind=EventKind.DEATH, date=D(2025, 1, 1))
    with pytest.raises(ValidationError, match="状态已为“死亡”"):
        change_request_decide(user=users["reviewer"], request=request, approve=True)
    request.refresh_from_db()
    person.refresh_from_db()
    assert request.state == ChangeRequest.State.PENDING and person.status == Status.DECEASED
    assert person.bank_account == "6228480077770000"

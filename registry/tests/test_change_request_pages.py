"""The change request pages: the edit form's key fields read-only with their request link,
asking with an upload, the request page (masked values, logged reveal, evidence, decision),
the list, the person page's section, the timeline and the reviewer's work list."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canlian.models import AuditEntry
from canlian.worklist import Worklist
from registry.changes import change_request_create, change_request_decide
from registry.models import ChangeRequest

PDF = b"%PDF-1.4\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _ask(user, person, account="6228480099990001"):
    return change_request_create(
        user=user,
        person=person,
        field="bank",
        values={"bank_name": "中国农业银行江门分行", "bank_account": account},
        reason="银行卡挂失补办",
        evidence=SimpleUploadedFile("银行卡.pdf", PDF),
    )


def test_the_edit_form_shows_the_key_fields_read_only_with_a_request_link(login, users, person):
    client = login(users["officer"])
    html = client.get(reverse("registry:person_edit", args=[person.pk])).content.decode()
    for name in ("bank_account", "bank_name", "area", "guardian_name", "guardian_phone"):
        assert f'name="{name}"' not in html
    links = re.findall(r'href="(/persons/\d+/changes/(\w+)/new/)"', html)
    assert [kind for _url, kind in links] == ["bank", "area", "guardian", "economic"]
    # A key field posted anyway is not changed by the edit.
    data = {
        "name": person.name,
        "gender": person.gender,
        "id_number": person.id_number,
        "address": "白沙大道9号",
        "phone": person.phone,
        "bank_account": "6228480099990009",
    }
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.address == "白沙大道9号" and person.bank_account == "6228480012345678"


def test_an_officer_asks_with_an_upload_and_the_page_shows_the_request_masked(login, users, person):
    client = login(users["officer"])
    url = reverse("registry:change_request_create", args=[person.pk, "bank"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "bank_name": "中国农业银行江门分行",
            "bank_account": "6228480099990001",
            "reason": "银行卡挂失补办",
            "evidence": SimpleUploadedFile("银行卡.pdf", PDF),
        },
    )
    request = ChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("registry:change_request_detail", args=[request.pk])
    html = client.get(response.url).content.decode()
    assert "************0001" in html and "6228480099990001" not in html
    assert "待区残联审核员审核" in html and "批准并生效" not in html
    download = client.get(reverse("registry:change_request_evidence", args=[request.pk]))
    assert b"".join(download.streaming_content) == PDF and "attachment" in download["Content-Disposition"]


def test_a_wrong_file_type_is_refused_on_the_page_and_nothing_is_written(login, users, person):
    response = login(users["officer"]).post(
        reverse("registry:change_request_create", args=[person.pk, "bank"]),
        {
            "bank_name": "中国农业银行",
            "bank_account": "6228480099990001",
            "reason": "换卡",
            "evidence": SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 400
    assert "“run.exe”不是 PDF、JPG、PNG 或 Excel（xlsx）文件" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_second_pending_request_is_refused_on_the_page(login, users, person):
    _ask(users["officer"], person)
    response = login(users["officer"]).post(
        reverse("registry:change_request_create", args=[person.pk, "bank"]),
        {
            "bank_name": "另一银行",
            "bank_account": "6228480099990002",
            "reason": "换卡",
            "evidence": SimpleUploadedFile("card.png", b"\x89PNG\r\n\x1a\n"),
        },
    )
    assert response.status_code == 400 and "已有一项待审核的银行账户变更申请" in response.content.decode()
    assert ChangeRequest.objects.count() == 1


def test_the_reviewer_reveals_the_accounts_logged_and_approves(login, users, person):
    request = _ask(users["officer"], person)
    client = login(users["reviewer"])
    detail = reverse("registry:change_request_detail", args=[request.pk])
    assert "批准并生效" in client.get(detail).content.decode()
    revealed = client.post(reverse("registry:change_request_reveal", args=[request.pk])).content.decode()
    assert "6228480099990001" in revealed and "6228480012345678" in revealed
    entry = AuditEntry.objects.get(action="registry.identifiers.revealed")
    assert entry.person_id == person.pk and entry.data == {"page": "change_request", "request": request.pk}
    response = client.post(reverse("registry:change_request_decide", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.bank_account == "6228480099990001"


def test_a_rejection_without_reason_comes_back_with_the_message(login, users, person):
    request = _ask(users["officer"], person)
    response = login(users["reviewer"]).post(
        reverse("registry:change_request_decide", args=[request.pk]), {"decision": "reject", "reason": ""}
    )
    assert response.status_code == 400 and "不予批准须填写原因" in response.content.decode()
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.PENDING


def test_the_list_shows_the_officers_town_and_the_reviewer_the_pending(login, users, person, other_person):
    mine = _ask(users["officer"], person)
    theirs = _ask(users["other_officer"], other_person, account="6228480099990002")
    change_request_decide(user=users["reviewer"], request=theirs, approve=False, reason="材料不全")
    html = login(users["officer"]).get(reverse("registry:change_request_list")).content.decode()
    assert person.name in html and other_person.name not in html
    reviewer = login(users["reviewer"])
    html = reviewer.get(reverse("registry:change_request_list")).content.decode()
    assert person.name in html and other_person.name not in html  # pending only by default
    html = reviewer.get(reverse("registry:change_request_list") + "?state=").content.decode()
    assert person.name in html and other_person.name in html
    assert mine.pk


def test_the_person_page_lists_the_requests_and_the_timeline_has_them(login, users, person):
    request = _ask(users["officer"], person)
    change_request_decide(user=users["reviewer"], request=request, approve=False, reason="材料不全")
    _ask(users["officer"], person, account="6228480099990003")
    html = login(users["officer"]).get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    section = html[html.index('id="change-requests"') :]
    states = re.findall(r"<td>(待审核|不予批准)</td>", section)
    assert states[:2] == ["待审核", "不予批准"]  # pending first
    assert "申请变更银行账户" in html and "银行账户变更申请不予批准" in html


def test_the_work_list_shows_the_reviewer_the_requests_of_others(users, person, other_person):
    import datetime

    from django.contrib.auth.models import Permission

    _ask(users["officer"], person)
    # A reviewer who may also ask (given the permission by hand) never has their own request.
    both = users["reviewer_who_prepares"]
    both.user_permissions.add(Permission.objects.get(codename="add_changerequest"))
    both = type(both).objects.get(pk=both.pk)
    _ask(both, other_person, account="6228480099990002")
    today = datetime.date.today()
    counts = {c.kind.key: c.total for c in Worklist(users["reviewer"], today).counts}
    assert counts.get("change_review") == 2
    assert {c.kind.key: c.total for c in Worklist(both, today).counts}.get("change_review") == 1
    officer_kinds = {c.kind.key for c in Worklist(users["officer"], today).counts}
    assert "change_review" not in officer_kinds


def test_a_leader_gets_403_on_every_request_page(login, users, person):
    request = _ask(users["officer"], person)
    client = login(users["leader"])
    for url in (
        reverse("registry:change_request_list"),
        reverse("registry:change_request_detail", args=[request.pk]),
        reverse("registry:change_request_evidence", args=[request.pk]),
        reverse("registry:change_request_create", args=[person.pk, "bank"]),
    ):
        assert client.get(url).status_code == 403, url

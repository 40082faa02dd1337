"""A town officer asks to change a person's bank account with a scanned bank card; the
district reviewer, another user, finds it on their work list, reveals the accounts (logged)
and approves it; the person's account is the new one. axe-core finds no violations on the
request form, the request page and the reviewer's decision."""

import re

import pytest
from playwright.sync_api import expect

from canlian.models import AuditEntry
from registry.models import ChangeRequest
from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_officer_asks_and_another_user_approves(log_in, users, person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    card = tmp_path / "银行卡.pdf"
    card.write_bytes(b"%PDF-1.4\n")

    page = log_in("officer")
    page.goto(f"/persons/{person.pk}/")
    block = page.get_by_role("region", name="变更申请")
    expect(block.get_by_text("暂无变更申请")).to_be_visible()
    block.get_by_role("link", name="银行账户").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请变更银行账户：{person.name}")
    page.get_by_label("新开户银行").fill("中国农业银行江门分行")
    page.get_by_label("新银行账号").fill("6228480099990001")
    page.get_by_label("申请理由").fill("原银行卡挂失补办")
    assert_accessible(page, "change request form")
    page.get_by_role("button", name="提交变更申请").click()
    expect(page.get_by_role("alert")).to_contain_text("申请未提交")
    # The message is in the summary and under the field, which it describes.
    expect(page.get_by_label("证明材料")).to_have_accessible_description(re.compile("请上传证明材料"))
    page.get_by_label("证明材料").set_input_files(str(card))
    page.get_by_role("button", name="提交变更申请").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交银行账户变更申请")
    expect(page.get_by_role("table")).to_contain_text("************0001")
    expect(page.get_by_text("待区残联审核员审核")).to_be_visible()
    assert_accessible(page, "change request page, pending")

    page.context.clear_cookies()
    page = log_in("reviewer")
    page.goto("/work/")
    page.get_by_role("link", name=re.compile("银行账户变更申请待审核")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"银行账户变更申请：{person.name}")
    page.get_by_role("button", name="显示完整账号和电话").click()
    expect(page.get_by_role("table")).to_contain_text("6228480099990001")
    assert AuditEntry.objects.filter(action="registry.identifiers.revealed", user=users["reviewer"]).exists()
    assert_accessible(page, "change request page for the reviewer")
    page.get_by_role("button", name="批准并生效").click()
    expect(page.get_by_role("alert")).to_contain_text("银行账户变更申请已批准，变更已生效")
    assert_accessible(page, "change request approved")
    person.refresh_from_db()
    assert person.bank_account == "6228480099990001"
    assert ChangeRequest.objects.get().decided_by == users["reviewer"]

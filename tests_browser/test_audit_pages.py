"""The audit log page in a browser: reached from the navigation, filtered, exported, and
without axe-core violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from canlian.audit import audit_write
from canlian.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()


def assert_accessible(page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}: {page.url}\n{results.generate_report()}"


def test_the_administrator_filters_and_exports_the_audit_log(log_in, users, person):
    audit_write(action="registry.identifiers.revealed", user=users["officer"], obj=person)
    audit_write(action="targets.target.changed", user=users["admin"], data={"year": 2026})
    page = log_in("admin")
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审计日志")
    expect(page.get_by_text("共 2 条记录")).to_be_visible()
    assert_accessible(page, "audit log")

    page.get_by_label("人员（身份证号或人员编号）").fill(person.id_number)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("共 1 条记录")).to_be_visible()
    expect(page.get_by_role("cell", name="查看完整证件号", exact=True)).to_be_visible()

    page.get_by_label("人员（身份证号或人员编号）").fill("440703198001019999")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_contain_text("没有身份证号为 440703198001019999 的人员")
    assert_accessible(page, "audit log with a wrong filter")

    page.get_by_role("link", name="清除条件").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出当前记录").click()
    assert download.value.suggested_filename.startswith("审计日志_")
    assert AuditEntry.objects.get(action="canlian.export").data["rows"] == 2

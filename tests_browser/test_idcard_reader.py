"""An officer reads an ID card on the person form: the reader's local service (stubbed
with page.route on the configured URL) gives the card, the differing address waits for the
officer's tick, and only the ticked value is saved; an unreachable reader says so."""

import json

import pytest
from playwright.sync_api import expect

from tests_browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

READER = "http://127.0.0.1:8989/api/readcard"
CORS = {"Access-Control-Allow-Origin": "*", "Content-Type": "application/json; charset=utf-8"}


@pytest.fixture
def reader_on(settings):
    settings.IDCARD_READER = {
        "url": READER,
        "fields": {"name": "partyName", "id_number": "certNumber", "address": "certAddress"},
    }


def test_an_officer_confirms_the_differing_address_of_a_reading(log_in, users, person, reader_on):
    page = log_in("officer")
    card = {"partyName": person.name, "gender": "男", "certNumber": person.id_number, "certAddress": "白沙大道100号"}
    page.route(
        f"{READER}*", lambda route: route.fulfill(status=200, headers=CORS, body=json.dumps(card, ensure_ascii=False))
    )
    page.goto(f"/persons/{person.pk}/edit/")
    expect(page.get_by_label("现住址")).to_have_value("白沙大道1号")

    page.get_by_role("button", name="读卡").click()
    conflicts = page.locator("#reading-conflicts")
    expect(conflicts).to_contain_text("白沙大道1号")
    expect(conflicts).to_contain_text("白沙大道100号")
    expect(page.get_by_label("现住址")).to_have_value("白沙大道1号")  # not overwritten yet
    assert_accessible(page, "the reading's confirm step")

    page.get_by_role("checkbox", name="住址").check()
    page.get_by_role("button", name="采用所选").click()
    expect(page.get_by_role("status").filter(has_text="已采用读卡结果：住址")).to_be_visible()
    expect(page.get_by_label("现住址")).to_have_value("白沙大道100号")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="已保存修改")).to_be_visible()
    person.refresh_from_db()
    assert person.address == "白沙大道100号"


def test_an_unreachable_reader_leaves_the_paste_box(log_in, users, person, reader_on):
    page = log_in("officer")
    page.route(f"{READER}*", lambda route: route.abort("connectionrefused"))
    page.goto("/persons/new/")
    page.get_by_role("button", name="读卡").click()
    expect(page.locator("#idcard-status")).to_contain_text("未连接到读卡器")
    expect(page.get_by_label("粘贴读卡结果")).to_be_focused()

"""The month's page: one row per member, the whole month posted at once; a bad cell or a
stranger refuses the whole month with the reason (400) and writes nothing."""

import pytest
from django.urls import reverse

from workshops.models import WorkMonth
from workshops.tests.conftest import LAST_MONTH

pytestmark = pytest.mark.django_db


def _post(client, workshop, members, values):
    data = {"month": f"{LAST_MONTH:%Y-%m}", "person": [str(m.person_id) for m in members]}
    for m, (days, income) in zip(members, values, strict=True):
        data[f"days-{m.person_id}"], data[f"income-{m.person_id}"] = days, income
        data[f"name-{m.person_id}"] = m.person.name
    return client.post(reverse("workshops:month_entry", args=[workshop.pk]), data)


def test_staff_save_the_month_from_the_page(login, users, workshop, members):
    client = login(users["centre"])
    page = client.get(reverse("workshops:month_entry", args=[workshop.pk]), {"month": f"{LAST_MONTH:%Y-%m}"})
    assert page.status_code == 200
    assert all(f'id="days-{m.person_id}"' in page.content.decode() for m in members)
    response = _post(client, workshop, members, [("20", "800"), ("18", "720.5"), ("0", "0")])
    assert response.status_code == 302
    rows = {w.person_id: (w.work_days, w.income_fen) for w in WorkMonth.objects.all()}
    assert rows == {members[0].person_id: (20, 80000), members[1].person_id: (18, 72050), members[2].person_id: (0, 0)}
    shown = client.get(response.url).content.decode()
    assert f"已保存 {LAST_MONTH:%Y-%m} 的月报：新登记 3 人" in shown


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (("-2", "800"), "工作天数不能为负数"),
        (("40", "800"), "工作天数 40 超过"),
        (("20", "-5"), "收入不能为负数"),
        (("二十", "800"), "的工作天数“二十”应为整数"),
        (("20", "8.005"), "不是正确的金额"),
        (("", "800"), "请填写黄丽的工作天数"),
    ],
)
def test_a_bad_cell_refuses_the_whole_month(login, users, workshop, members, cells, message):
    response = _post(login(users["centre"]), workshop, members, [("20", "800"), ("18", "720"), cells])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WorkMonth.objects.exists()


def test_a_month_in_the_future_is_refused_on_the_page(login, users, workshop, members):
    from benefits.months import add_months

    client = login(users["centre"])
    future = add_months(LAST_MONTH, 2)
    data = {"month": f"{future:%Y-%m}", "person": [str(members[0].person_id)]}
    data[f"days-{members[0].person_id}"], data[f"income-{members[0].person_id}"] = "20", "800"
    response = client.post(reverse("workshops:month_entry", args=[workshop.pk]), data)
    assert response.status_code == 400
    assert "尚未到来" in response.content.decode()
    assert not WorkMonth.objects.exists()


def test_the_month_workbook_has_a_row_per_member(login, users, workshop, members):
    import io

    from python_calamine import CalamineWorkbook

    client = login(users["centre"])
    _post(client, workshop, members, [("20", "800"), ("18", "720"), ("5", "150")])
    response = client.get(reverse("workshops:month_export", args=[workshop.pk]), {"month": f"{LAST_MONTH:%Y-%m}"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["姓名", "公民身份号码", "项目", "进入车间日期", "离开日期", "工作天数", "收入（元）"]
    by_name = {r[0]: (r[5], r[6]) for r in rows[1:]}
    assert by_name == {"陈建国": (20, 800), "李伟": (18, 720), "黄丽": (5, 150)}
    assert all("*" in r[1] for r in rows[1:])  # masked ID numbers

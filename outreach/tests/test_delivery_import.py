"""The bulk import of deliveries (公民身份号码, 发放日期, 发放人): the rows count for the
campaign now running, each passes the one-at-a-time entry's refusals, the valid ones are
inserted in bulk, and the same list twice adds nothing."""

import pytest

from canlian.models import AuditEntry
from conftest import make_person
from outreach.imports import DeliveryImporter
from outreach.models import CampaignDelivery
from registry.tests.workbooks import write_workbook

from .conftest import DAY, TODAY

HEADERS = ["公民身份号码", "发放日期", "发放人"]


def reasons(result) -> dict[int, list[tuple[str, str]]]:
    return {r.row: [(issue.column, issue.message) for issue in r.reasons] for r in result.rejected}


@pytest.fixture
def run(tmp_path, users):
    def _run(rows, user="officer", headers=HEADERS):
        path = write_workbook(tmp_path / "发放名单.xlsx", rows, headers)
        return DeliveryImporter(user=users[user], source_name="发放名单.xlsx").run(path)

    return _run


def row(person, **cells):
    return {"公民身份号码": person.id_number, "发放日期": TODAY - DAY, "发放人": "林姐", **cells}


def test_a_good_file_records_the_running_campaigns_deliveries(run, areas, person, campaign_for):
    neighbour = make_person(areas["baisha_b"], name="王丰乐", sequence=131)
    campaign = campaign_for()
    result = run([row(person), row(neighbour, 发放人="社区 黄伯")])
    assert result.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "total": 2}
    delivered = {d.person_id: (d.campaign, d.deliverer, d.area_code) for d in CampaignDelivery.objects.all()}
    assert delivered == {
        person.pk: (campaign, "林姐", person.area_id),
        neighbour.pk: (campaign, "社区 黄伯", neighbour.area_id),
    }
    assert AuditEntry.objects.get(action="outreach.import").data["created"] == 2


def test_the_same_list_twice_adds_nothing_and_a_second_delivery_is_rejected(run, person, campaign_for):
    campaign_for()
    run([row(person)])
    assert run([row(person)]).counts()["unchanged"] == 1
    result = run([row(person, 发放日期=TODAY)])
    assert reasons(result) == {
        2: [("公民身份号码", f"该人员已于 {TODAY - DAY:%Y-%m-%d} 领取过“生活爱心包”，不能重复发放")]
    }
    assert CampaignDelivery.objects.count() == 1


def test_bad_rows_are_rejected_with_their_reasons(run, areas, person, other_person, campaign_for):
    neighbour = make_person(areas["baisha_b"], name="王丰乐", sequence=131)
    campaign_for()  # the list is frozen: the persons made below are not on it
    later = make_person(areas["baisha_a"], name="周新证", sequence=139)
    result = run(
        [
            row(later),
            row(other_person),
            row(person, 发放日期=TODAY - 40 * DAY),
            row(neighbour, 发放日期=TODAY + DAY),
        ]
    )
    period = f"{TODAY - 30 * DAY:%Y-%m-%d} 至 {TODAY + 30 * DAY:%Y-%m-%d}"
    assert reasons(result) == {
        2: [("公民身份号码", "该人员不在“生活爱心包”的发放名单内，不能发放")],
        3: [("公民身份号码", "该人员不在您的管辖范围内")],
        4: [("发放日期", f"发放日期应在活动期间（{period}）")],
        5: [("发放日期", "发放日期不能晚于今天")],
    }
    assert not CampaignDelivery.objects.exists()


def test_a_person_twice_in_the_file_rejects_both_rows(run, person, campaign_for):
    campaign_for()
    result = run([row(person), row(person, 发放人="黄伯")])
    assert set(reasons(result)) == {2, 3}
    assert not CampaignDelivery.objects.exists()


def test_without_one_running_campaign_each_row_names_its_campaign(run, person, campaign_for):
    result = run([row(person)])
    assert reasons(result) == {2: [("活动名称", "目前没有进行中的活动，请填写活动名称")]}
    campaign_for()
    campaign_for(name="助残日慰问")
    result = run([row(person)])
    assert reasons(result) == {2: [("活动名称", "目前有多项活动在进行，请填写活动名称")]}
    result = run([row(person, 活动名称="助残日慰问")], headers=[*HEADERS, "活动名称"])
    assert result.created == 1
    assert CampaignDelivery.objects.get().campaign.name == "助残日慰问"


def test_a_day_inside_an_earlier_inactive_period_is_rejected(run, users, person, campaign_for):
    from registry.services import person_event_record

    campaign_for()
    person_event_record(user=users["officer"], person=person, kind="moved_out", date=TODAY - 20 * DAY)
    person_event_record(user=users["officer"], person=person, kind="restored", date=TODAY - 10 * DAY)
    result = run([row(person, 发放日期=TODAY - 15 * DAY)])
    back = f"{TODAY - 10 * DAY:%Y-%m-%d} 恢复正常"
    assert reasons(result) == {
        2: [("发放日期", f"该人员于 {TODAY - 20 * DAY:%Y-%m-%d} 迁出，{back}，发放日期不能在此期间")]
    }
    assert run([row(person, 发放日期=TODAY - 5 * DAY)]).created == 1

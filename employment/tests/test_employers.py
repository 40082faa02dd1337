"""Employers, placements, quota employment and the partner county's records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from employment import services
from employment.models import Employer, JobPlacement, PartnerDevice, PartnerPlacement, QuotaEmployment
from registry.testing import make_id_number

from .conftest import TODAY, days_ago


@pytest.fixture
def employer(users, areas):
    return services.employer_create(user=users["officer"], name="江门市益杯咖啡有限公司", kind="enterprise",
                                    area=areas["baisha"], caring=True)  # fmt: skip


def test_an_employer_is_registered_once(employer, users, areas):
    assert employer.caring
    with pytest.raises(ValidationError, match="已登记"):
        services.employer_create(
            user=users["officer"], name=" 江门市益杯咖啡有限公司 ", kind="enterprise", area=areas["baisha"]
        )
    assert Employer.objects.count() == 1


def test_a_placement_and_its_end(employer, person, point, users):
    placement = services.placement_create(
        user=users["officer"], person=person, employer=employer, job_title="咖啡师", started_on=days_ago(100),
        wage_fen=300000, point=point,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="该人员已在“江门市益杯咖啡有限公司”就业，请先登记离职"):
        services.placement_create(
            user=users["officer"], person=person, employer=employer, job_title="店员", started_on=days_ago(50),
            wage_fen=300000, point=point,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="离职日期不能早于入职日期"):
        services.placement_end(user=users["officer"], placement=placement, ended_on=days_ago(101), reason="合同到期")
    with pytest.raises(Http404):
        services.placement_end(user=users["other_officer"], placement=placement, ended_on=days_ago(1), reason="x")
    placement.refresh_from_db()
    assert placement.ended_on is None
    services.placement_end(user=users["officer"], placement=placement, ended_on=days_ago(1), reason="合同到期")
    assert JobPlacement.objects.get().ended_on == days_ago(1)


def test_a_wage_must_be_given(employer, person, point, users):
    with pytest.raises(ValidationError, match="月工资应大于 0"):
        services.placement_create(
            user=users["officer"], person=person, employer=employer, job_title="咖啡师", started_on=days_ago(1),
            wage_fen=0, point=point,
        )  # fmt: skip
    assert not JobPlacement.objects.exists()


def test_quota_employment(employer, users):
    assert (services.quota_required(66), services.quota_required(67), services.quota_required(400)) == (0, 1, 6)
    services.quota_save(user=users["officer"], employer=employer, year=TODAY.year, staff=400, disabled_employed=5)
    services.quota_save(user=users["officer"], employer=employer, year=TODAY.year, staff=400, disabled_employed=6)
    assert QuotaEmployment.objects.get().disabled_employed == 6
    with pytest.raises(ValidationError, match="不能超过在职职工人数"):
        services.quota_save(user=users["officer"], employer=employer, year=TODAY.year, staff=4, disabled_employed=6)
    with pytest.raises(ValidationError, match="年度应在"):
        services.quota_save(user=users["officer"], employer=employer, year=TODAY.year + 1, staff=4, disabled_employed=1)


def test_the_partner_countys_records_are_the_districts(employer, users):
    number = make_id_number(region="451425", birth="19900101", sequence=101)
    with pytest.raises(PermissionDenied):
        services.partner_placement_create(
            user=users["officer"], name="农春梅", id_number=number, county="天等县", employer=employer,
            job_title="包装工", started_on=days_ago(5), wage_fen=260000,
        )  # fmt: skip
    record = services.partner_placement_create(
        user=users["admin"], name="农春梅", id_number=number, county="天等县", employer=employer,
        job_title="包装工", started_on=days_ago(5), wage_fen=260000,
    )  # fmt: skip
    assert record.id_number == number
    with pytest.raises(ValidationError, match="公民身份号码：身份证号校验位错误"):
        services.partner_device_create(
            user=users["admin"], name="黄志强", id_number=number[:17] + ("0" if number[17] != "0" else "1"),
            county="天等县", device="轮椅", quantity=1, sent_on=days_ago(3),
        )  # fmt: skip
    assert not PartnerDevice.objects.exists()
    services.partner_device_create(
        user=users["admin"], name="黄志强", id_number=number, county="天等县", device="轮椅", quantity=2,
        sent_on=days_ago(3),
    )  # fmt: skip
    assert PartnerPlacement.objects.count() == PartnerDevice.objects.count() == 1


def test_the_partner_page_masks_id_numbers_and_is_the_districts(client, employer, users):
    number = make_id_number(region="451425", birth="19900101", sequence=101)
    services.partner_device_create(
        user=users["admin"], name="黄志强", id_number=number, county="天等县", device="轮椅", quantity=2,
        sent_on=days_ago(3),
    )  # fmt: skip
    client.force_login(users["reviewer"])
    page = client.get("/employment/partner/", {"year": days_ago(3).year}).content.decode()
    assert "黄志强" in page and number not in page
    client.force_login(users["officer"])
    assert client.get("/employment/partner/").status_code == 403

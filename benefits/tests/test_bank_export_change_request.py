"""A bank account changed by an approved change request (变更申请) is what the next payroll
pays; a batch approved before keeps the payee frozen at its approval, and a request still
pending changes no batch."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from benefits.exports import BANK_SHEET
from benefits.payroll import payroll_approve, payroll_generate
from conftest import make_person
from registry.changes import change_request_create, change_request_decide

D = datetime.date
OLD, NEW = "6228480011112222", "6228480099998888"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _accounts(client, batch) -> list[str]:
    response = client.post(reverse("benefits:batch_export", args=[batch.pk]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return [row[4] for row in book.get_sheet_by_name(BANK_SHEET).to_python()[1:]]


def _batch(living, month, users):
    batch = payroll_generate(scheme=living, month=month, user=users["admin"])
    return payroll_approve(batch=batch, user=users["reviewer"], version=batch.version)


def test_the_approved_batch_pays_the_old_account_the_next_batch_the_new(login, users, areas, living, award_for):
    person = make_person(areas["baisha_a"], name="王低保", sequence=201, economic_status="dibao", bank_account=OLD)
    award_for(person, living, "2021-01")
    march = _batch(living, D(2021, 3, 1), users)
    request = change_request_create(
        user=users["officer"],
        person=person,
        field="bank",
        values={"bank_name": "中国农业银行江门分行", "bank_account": NEW},
        reason="银行卡挂失补办",
        evidence=ContentFile(b"%PDF-1.4\n", name="card.pdf"),
    )
    # Pending: the old account is still the one in force for a batch approved now.
    april = _batch(living, D(2021, 4, 1), users)
    change_request_decide(user=users["reviewer"], request=request, approve=True)
    may = _batch(living, D(2021, 5, 1), users)
    client = login(users["reviewer"])
    assert _accounts(client, march) == [OLD]
    assert _accounts(client, april) == [OLD]
    assert _accounts(client, may) == [NEW]

"""Identifiers are masked in every admin, not only the person's: a walk of every registered
admin's list and detail page as the district administrator (who may reveal on the pages)
finds no full ID number, mobile or bank account of the seeded rows — a child's, an
employer's contact, the cells an import's report keeps, an audit entry's data — and the
mixin reaches every model with such a field, whichever app adds it."""

import datetime

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from canlian.admin import MaskedIdentifiersMixin, identifier_mask_of, text_masked
from canlian.models import AuditEntry, Job
from employment.models import Employer
from registry.models import ChangeRequest
from registry.testing import make_id_number

CHILD_ID = make_id_number(birth="20210304", sequence=458)
CHILD_PHONE = "13912345678"
EMPLOYER_PHONE = "13600007777"
NEW_ACCOUNT = "6228480099990001"


@pytest.fixture
def seeded(users, areas, person):
    from rehab.services_children import child_register

    child_register(
        user=users["officer"],
        name="林小雨",
        gender="F",
        id_number=CHILD_ID,
        birth_certificate="",
        birth_date=None,
        disability="hearing",
        diagnosis="双耳极重度感音神经性耳聋",
        guardian_name="林志强",
        guardian_phone=CHILD_PHONE,
        area=areas["baisha_a"],
    )
    Employer.objects.create(name="江门爱心电子厂", kind="private", area=areas["baisha"], phone=EMPLOYER_PHONE)
    Job.objects.create(
        kind="registry.persons",
        title="导入：名单.xlsx",
        state=Job.State.DONE,
        message=f"第 2 行 {person.id_number} 已存在",
        report={"rejected": [{"row": 2, "cells": [person.name, person.id_number, person.phone, person.bank_account]}]},
        created_by=users["officer"],
    )
    AuditEntry.objects.create(action="canlian.export", user=users["admin"], data={"filters": {"q": person.id_number}})
    ChangeRequest.objects.create(
        person=person,
        field=ChangeRequest.Field.BANK,
        old_value={"bank_name": person.bank_name, "bank_account": person.bank_account},
        new_value={"bank_name": "中国农业银行", "bank_account": NEW_ACCOUNT},
        reason="银行卡挂失补办",
        evidence="change_requests/2026/01/card.pdf",
        evidence_name="card.pdf",
        requested_by=users["officer"],
    )
    return [person.id_number, person.certificate_number, person.phone, person.bank_account, CHILD_ID, NEW_ACCOUNT]


def _pages(model):
    opts = model._meta
    try:
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_no_admin_page_shows_an_identifier_in_full(login, users, seeded):
    client = login(users["admin"])
    secrets = [*seeded, CHILD_PHONE, EMPLOYER_PHONE]
    opened = 0
    for model in admin.site._registry:
        for url in _pages(model):
            response = client.get(url)
            assert response.status_code in (200, 403), url
            if response.status_code != 200:
                continue
            opened += 1
            html = response.content.decode()
            for secret in secrets:
                assert secret not in html, (url, secret)
    # The walk reached the pages that hold the seeded rows.
    assert opened > 40
    html = client.get(reverse("admin:rehab_child_change", args=[_pk("rehab.Child")])).content.decode()
    assert "139****5678" in html and "440703********" in html
    assert not AuditEntry.objects.filter(action="registry.identifiers.revealed").exists()
    # A change request's values too (JSON), the new account as the old.
    html = client.get(reverse("admin:registry_changerequest_change", args=[_pk("registry.ChangeRequest")])).content
    assert "************0001" in html.decode() and "************5678" in html.decode()


def _pk(label):
    from django.apps import apps

    return apps.get_model(label)._default_manager.order_by("pk").values_list("pk", flat=True)[0]


def test_every_model_with_an_identifier_field_is_masked_by_its_admin():
    for model, model_admin in admin.site._registry.items():
        named = [f.name for f in model._meta.concrete_fields if identifier_mask_of(f.name)]
        if named:
            assert isinstance(model_admin, MaskedIdentifiersMixin) or model_admin.masks_identifiers, model
            search = model_admin.get_search_fields(None)
            assert not set(named) & {name.lstrip("^=@") for name in search}, model


def test_the_texts_are_masked_where_they_hold_identifiers():
    text = "440703198001011234 1234567890 13812345678 6228480012345678 44070319800101123X42 x"
    assert text_masked(text) == "440703********1234 1234567890 138****5678 ************5678 440703********123X42 x"
    assert text_masked(str(datetime.date(2026, 1, 2))) == "2026-01-02"

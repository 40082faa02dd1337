"""Sales by channel take catalogue products out of stock, restocking puts them back in;
the monthly totals add the sales by channel and project and the income paid to members."""

import pytest
from django.urls import reverse

from workshops.models import Channel, Product, Sale
from workshops.selectors import month_totals
from workshops.services import Entry, month_save, product_restock, sale_record
from workshops.tests.conftest import LAST_MONTH, TODAY

pytestmark = pytest.mark.django_db


def test_a_sale_of_a_product_takes_it_out_of_stock_and_takes_its_project(workshop, product, users):
    sale = sale_record(
        user=users["centre"], workshop=workshop, channel=Channel.MINI_MALL, sold_on=TODAY, amount_fen=7500,
        product=product, quantity=3,
    )  # fmt: skip
    assert Product.objects.get().stock == 7
    assert (sale.project, sale.quantity, sale.amount_fen) == (product.project, 3, 7500)


def test_the_whole_stock_may_be_sold_and_then_no_more(workshop, product, users):
    sale_record(
        user=users["centre"], workshop=workshop, channel=Channel.EVENT, sold_on=TODAY, amount_fen=0, product=product,
        quantity=10,
    )  # fmt: skip
    assert Product.objects.get().stock == 0
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="库存不足"):
        sale_record(
            user=users["centre"], workshop=workshop, channel=Channel.EVENT, sold_on=TODAY, amount_fen=100,
            product=product, quantity=1,
        )  # fmt: skip


def test_restocking_adds_to_the_stock(product, users):
    assert product_restock(user=users["centre"], product=product, quantity=25).stock == 35


def test_a_product_of_another_workshop_is_refused(workshop, other_workshop, product, users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="所选产品不属于该车间"):
        sale_record(
            user=users["admin"], workshop=other_workshop, channel=Channel.SHOP, sold_on=TODAY, amount_fen=100,
            product=product, quantity=1,
        )  # fmt: skip
    assert Product.objects.get().stock == 10


def test_staff_record_a_sale_on_the_page_and_a_negative_amount_is_refused(login, users, workshop, product):
    client = login(users["centre"])
    url = reverse("workshops:sales", args=[workshop.pk])
    data = {"channel": Channel.SHOP, "sold_on": f"{TODAY:%Y-%m-%d}", "product": product.pk, "quantity": "2"}
    refused = client.post(url, {**data, "amount": "-50"})
    assert refused.status_code == 400
    assert "销售金额不能为负数" in refused.content.decode()
    assert not Sale.objects.exists() and Product.objects.get().stock == 10
    done = client.post(url, {**data, "amount": "50"})
    assert done.status_code == 302
    assert Sale.objects.get().amount_fen == 5000 and Product.objects.get().stock == 8


def test_the_monthly_totals_add_channels_projects_and_income(workshop, product, members, users):
    cafe = workshop.projects.get()
    day = LAST_MONTH.replace(day=10)
    sale_record(
        user=users["admin"], workshop=workshop, channel=Channel.SHOP, sold_on=day, amount_fen=10000, project=cafe
    )
    sale_record(user=users["admin"], workshop=workshop, channel=Channel.MINI_CAFE, sold_on=day, amount_fen=5000)
    month_save(
        user=users["admin"], workshop=workshop, month=LAST_MONTH,
        entries={members[0].person_id: Entry(20, 4000), members[1].person_id: Entry(10, 2000)},
    )  # fmt: skip
    row = next(m for m in month_totals(workshop, LAST_MONTH.year) if m.month == LAST_MONTH)
    assert row.by_channel[Channel.SHOP] == 10000 and row.by_channel[Channel.MINI_CAFE] == 5000
    assert row.by_project == {cafe.pk: 10000, None: 5000}
    assert (row.sales_fen, row.income_fen, row.work_days, row.paid_members) == (15000, 6000, 30, 2)
    assert row.share == "40.0%"


def test_a_voided_sale_returns_its_stock_and_stops_counting(workshop, product, users):
    from canlian.models import AuditEntry
    from workshops.services import sale_void

    sale = sale_record(
        user=users["centre"], workshop=workshop, channel=Channel.SHOP, sold_on=TODAY, amount_fen=5000,
        product=product, quantity=2,
    )  # fmt: skip
    sale_void(user=users["centre"], sale=sale, reason="录错数量")
    assert Product.objects.get().stock == 10
    assert not Sale.objects.standing().exists()
    assert next(m for m in month_totals(workshop, TODAY.year) if m.month == TODAY.replace(day=1)).sales_fen == 0
    assert AuditEntry.objects.get(action="workshops.sale.voided").data["reason"] == "录错数量"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="已于 .* 作废"):
        sale_void(user=users["centre"], sale=sale, reason="再次")
    assert Product.objects.get().stock == 10

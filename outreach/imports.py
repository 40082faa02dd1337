"""Bulk imports of outreach work on the import framework (`canlian.importing`).

- Home visits (走访记录): each valid row goes through `outreach.services.visit_record`,
  the one-at-a-time entry's service, in a savepoint of its own (a town's list is a few
  hundred rows): a row it refuses is rejected with the reason, the others are written.
  A visit already held for the person that day, exactly as the row says, is unchanged.
"""

import re
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from canlian.importing import (
    ID_HEADER,
    Column,
    Importer,
    Row,
    id_column,
    reject_error,
    row_numbers,
    row_person,
    row_persons,
)
from outreach.models import HomeVisit, NeedKind
from outreach.selectors import visitor_choices
from outreach.services import visit_record
from registry import excel
from registry.excel import CellError
from registry.imports import ImportResult
from registry.models import Person

VISITED_ON, VISITORS, MONEY, GIFTS, NEEDS, FOLLOW_UP = (
    "走访日期",
    "走访人",
    "慰问金额",
    "慰问物品",
    "发现需求",
    "下次跟进日期",
)
NO_NEED = "无"
SEPARATORS = re.compile(r"[、,，;；/\s]+")
NEED_CODES = {label: code for code, label in NeedKind.choices}


def parse_money(value: object) -> Decimal:
    """An amount in 元 (200, 200.5, "1,000", "200元"), at most two decimals, not negative."""
    if isinstance(value, bool):
        raise CellError("慰问金额应为数字")
    text = excel.cell_text(value).replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(f"慰问金额应为数字，不能是“{excel.cell_text(value)}”") from None
    if not amount.is_finite() or amount < 0:
        raise CellError("慰问金额不能为负数")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError("慰问金额最多保留两位小数")
    return amount.quantize(Decimal("0.01"))


def parse_needs(value: object) -> list[str]:
    """生活、医疗 … as their codes, in the list's order; 无 for none."""
    text = excel.cell_text(value)
    if text == NO_NEED:
        return []
    labels = [label for label in SEPARATORS.split(text) if label]
    unknown = [label for label in labels if label not in NEED_CODES]
    if unknown:
        known = "、".join(NEED_CODES)
        raise CellError(f"未知的需求“{'、'.join(unknown)}”：请填写 {known} 中的一项或多项，没有需求填“{NO_NEED}”")
    codes = {NEED_CODES[label] for label in labels}
    return [code for code in NeedKind.values if code in codes]


# What a delivery row's checks read of its person (the scope, the day in the person's life).
CHECKED_FIELDS = ("pk", "id_number", "area_id", "birth_date", "certificate_issued", "status", "status_date")


class VisitImporter(Importer):
    """A town's list of home visits: one row per person and day."""

    kind = "outreach.visits"
    title = "走访慰问记录"
    permission = "outreach.add_homevisit"
    sheet_name = "走访慰问记录"
    template_name = "走访慰问记录导入模板"
    columns = (
        id_column(),
        Column(VISITED_ON, required=True, parse=excel.parse_date, guide="如 2025-05-15；不能晚于今天", width=14),
        Column(
            VISITORS,
            required=True,
            parse=partial(excel.parse_text, max_length=200, what="走访人"),
            guide="走访人姓名，多人用顿号分隔；系统用户按姓名对应，其他人（如区领导）照录",
            width=24,
        ),
        Column(MONEY, parse=parse_money, guide="慰问金额（元），如 500；没有留空", width=10),
        Column(
            GIFTS,
            parse=partial(excel.parse_text, max_length=200, what="慰问物品"),
            guide="如大米一袋、食用油一瓶",
            width=24,
        ),
        Column(
            NEEDS,
            parse=parse_needs,
            guide=f"{'、'.join(NEED_CODES)} 中的一项或多项，用顿号分隔；没有需求填“{NO_NEED}”或留空",
            width=20,
        ),
        Column(FOLLOW_UP, parse=excel.parse_date, guide="如 2025-06-15；不早于走访日期，可留空", width=14),
    )

    def prepare(self) -> None:
        self.users_by_name = {}
        for user in visitor_choices(self.user):
            self.users_by_name.setdefault(user.display_name, user)

    def parse_row(self, row: Row) -> None:
        if not row.ok:
            return
        values = row.values
        users, others = [], []
        for name in SEPARATORS.split(values[VISITORS]):
            if not name:
                continue
            if "*" in name:
                row.reject(VISITORS, f"“{name}”是脱敏后的姓名，请填写完整姓名")
            user = self.users_by_name.get(name)
            if user is not None and user not in users:
                users.append(user)
            elif user is None:
                others.append(name)
        follow_up = values[FOLLOW_UP]
        if follow_up is not None and follow_up < values[VISITED_ON]:
            row.reject(FOLLOW_UP, "下次跟进日期不能早于走访日期")
        row.value = {
            "visited_on": values[VISITED_ON],
            "visitors": users,
            "other_visitors": "、".join(others),
            "money": values[MONEY] if values[MONEY] is not None else Decimal("0.00"),
            "gifts": values[GIFTS] or "",
            "needs": values[NEEDS] or [],
            "follow_up_on": follow_up,
        }

    def key(self, row: Row):
        return (row.id_number, row.value["visited_on"])

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        day = row.value["visited_on"]
        return (
            VISITED_ON,
            f"同一人员 {day:%Y-%m-%d} 的走访在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入",
        )

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        persons = row_persons(rows)
        held = {
            (v.person_id, v.visited_on): v
            for v in HomeVisit.objects.standing()
            .filter(person__in=[p.pk for p in persons.values()])
            .prefetch_related("visitors")
        }
        for row in rows:
            person = row_person(row, persons, self.user)
            if person is None:
                continue
            fields = row.value
            before = held.get((person.pk, fields["visited_on"]))
            if before is not None:
                if self._same(before, fields):
                    result.unchanged += 1
                else:
                    row.reject(VISITED_ON, f"该人员 {before.visited_on:%Y-%m-%d} 已有走访记录，与本行不同，未修改")
                continue
            try:
                with transaction.atomic():
                    visit_record(user=self.user, person=person, **fields)
            except (ValidationError, PermissionDenied, Http404) as exc:
                reject_error(row, VISITED_ON if isinstance(exc, ValidationError) else ID_HEADER, exc)
                continue
            result.created += 1

    @staticmethod
    def _same(visit: HomeVisit, fields: dict) -> bool:
        return (
            {u.pk for u in visit.visitors.all()} == {u.pk for u in fields["visitors"]}
            and visit.other_visitors == fields["other_visitors"]
            and visit.money == fields["money"]
            and visit.gifts == fields["gifts"]
            and visit.needs == fields["needs"]
            and visit.follow_up_on == fields["follow_up_on"]
        )


# Deliveries ---------------------------------------------------------------------------

DELIVERED_ON, DELIVERER, CAMPAIGN = "发放日期", "发放人", "活动名称"


class DeliveryImporter(Importer):
    """A community's list of gifts handed out (发放记录): one row per person. The rows count
    for the campaign now running; while several run, the file names each row's campaign
    in a 活动名称 column. A row goes through the same refusals as the one-at-a-time entry
    (the person's scope and life, the campaign's period and list, once per person), read
    for all rows at once, and the new deliveries are inserted in bulk."""

    kind = "outreach.deliveries"
    title = "慰问品发放记录"
    permission = "outreach.add_campaigndelivery"
    sheet_name = "发放记录"
    template_name = "慰问品发放记录导入模板"
    columns = (
        id_column(),
        Column(DELIVERED_ON, required=True, parse=excel.parse_date, guide="如 2025-05-15；在活动期间内", width=14),
        Column(
            DELIVERER,
            required=True,
            parse=partial(excel.parse_name, what="发放人"),
            guide="发放人姓名，如社区工作人员",
            width=12,
        ),
        Column(
            CAMPAIGN,
            parse=partial(excel.parse_text, max_length=60, what="活动名称"),
            guide="可不填：不填时计入正在进行的活动；同时进行多项活动时必填",
            width=20,
        ),
    )

    def prepare(self) -> None:
        from django.utils import timezone

        from outreach.models import Campaign

        started = list(Campaign.objects.filter(state=Campaign.State.STARTED))
        self.campaigns = {c.name: c for c in started}
        today = timezone.localdate()
        running = [c for c in started if c.starts_on <= today <= c.ends_on]
        self.default = running[0] if len(running) == 1 else None
        self.several = len(running) > 1

    def parse_row(self, row: Row) -> None:
        if not row.ok:
            return
        name = row.values[CAMPAIGN]
        if name:
            campaign = self.campaigns.get(name)
            if campaign is None:
                row.reject(CAMPAIGN, f"没有名为“{name}”的进行中的活动")
        elif self.default is None:
            campaign = None
            reason = "目前有多项活动在进行，请填写活动名称" if self.several else "目前没有进行中的活动，请填写活动名称"
            row.reject(CAMPAIGN, reason)
        else:
            campaign = self.default
        row.value = {"campaign": campaign, "delivered_on": row.values[DELIVERED_ON], "deliverer": row.values[DELIVERER]}

    def key(self, row: Row):
        return (row.id_number, row.value["campaign"].pk)

    def duplicate_message(self, row: Row, same: list[Row]) -> tuple[str, str]:
        return ID_HEADER, f"同一人员在本文件中重复出现（第 {row_numbers(same)} 行），这些行都未导入"

    def apply(self, rows: list[Row], result: ImportResult) -> None:
        from canlian.records import check_day_of_person, inactive_periods_of, records_changed_once
        from outreach.models import CampaignDelivery, CampaignTarget, delivery_refusal

        persons = row_persons(rows, CHECKED_FIELDS)
        person_ids = [p.pk for p in persons.values()]
        campaign_ids = {row.value["campaign"].pk for row in rows}
        on_list, held = set(), {}
        for start in range(0, len(person_ids), 5000):
            chunk = person_ids[start : start + 5000]
            on_list |= set(
                CampaignTarget.objects.filter(campaign__in=campaign_ids, person__in=chunk).values_list(
                    "campaign_id", "person_id"
                )
            )
            for d in CampaignDelivery.objects.standing().filter(campaign__in=campaign_ids, person__in=chunk):
                held[(d.campaign_id, d.person_id)] = d
        periods = inactive_periods_of(person_ids)
        # 每户一份: the households of the rows' persons, and the campaign's deliveries to
        # any of their members, read at once; a delivery of this file counts for the rows after it.
        household_of, household_held = {}, {}
        shared = {c.pk for row in rows if (c := row.value["campaign"]).per_household}
        if shared:
            for start in range(0, len(person_ids), 5000):
                household_of.update(
                    Person.objects.filter(pk__in=person_ids[start : start + 5000], household__isnull=False).values_list(
                        "pk", "household_id"
                    )
                )
            households = sorted(set(household_of.values()))
            for start in range(0, len(households), 5000):
                for d in (
                    CampaignDelivery.objects.standing()
                    .filter(campaign__in=shared, person__household_id__in=households[start : start + 5000])
                    .select_related("person")
                ):
                    household_held[(d.campaign_id, d.person.household_id)] = d
        new = []
        for row in rows:
            person = row_person(row, persons, self.user)
            if person is None:
                continue
            fields = row.value
            campaign, day = fields["campaign"], fields["delivered_on"]
            before = held.get((campaign.pk, person.pk))
            if before is not None and (before.delivered_on, before.deliverer) == (day, fields["deliverer"]):
                result.unchanged += 1
                continue
            household = household_of.get(person.pk)
            other = household_held.get((campaign.pk, household)) if household is not None else None
            refusal = delivery_refusal(
                campaign,
                person.pk,
                day,
                on_list=(campaign.pk, person.pk) in on_list,
                held=before,
                household_held=other if other is None or other.person_id != person.pk else None,
            )
            if refusal:
                in_period = campaign.starts_on <= day <= campaign.ends_on
                row.reject(ID_HEADER if in_period else DELIVERED_ON, refusal)
                continue
            try:
                check_day_of_person(person, day, DELIVERED_ON, periods=periods.get(person.pk, []))
            except ValidationError as exc:
                reject_error(row, DELIVERED_ON, exc)
                continue
            delivery = CampaignDelivery(person=person, area_code=person.area_id, recorded_by=self.user, **fields)
            new.append(delivery)
            if household is not None and campaign.per_household:
                household_held[(campaign.pk, household)] = delivery
            result.created += 1
        CampaignDelivery.objects.bulk_create(new, batch_size=2000)
        # Each town and day the rows are of: only those months are recomputed.
        for area, day in sorted({(d.area_code, d.delivered_on) for d in new}):
            records_changed_once(CampaignDelivery, day.year, area=area, day=day)

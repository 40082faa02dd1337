"""Family-doctor contracts (家庭医生签约): whether each person has a signed contract, with the
doctor's institution and the day, from the health department's list.

The list is a data comparison (数据比对) like the civil-affairs rosters of 低保 and 特困: the
same page, command and columns (公民身份号码, 事件, 日期, 新值) of `registry.comparison`, with
two kinds of event outreach declares (`COMPARISON_KINDS`):

- 家庭医生签约 — 新值 is the institution (签约机构): the person signed on the day. A row the
  registry already holds (the same institution and day) is unchanged, so the same list
  sent again changes nothing; a later day (a yearly renewal, another institution) ends the
  contract in force on that day and starts the new one; a day before the person's latest
  contract, or another institution on the day of the one in force, is rejected;
- 家庭医生解约 — no 新值: the contract in force ended on the day.

The comparison checks the person (in the importer's scope), the day (not in the future,
not before birth) and the 新值, and rejects disagreeing rows of one person and day; here,
`contracts_apply` reads the contracts of all the rows' persons at once and writes the
changes in two statements. The indicator is the share of active persons with a contract
in force, per town (`signed_share`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from canlian.declarations import ComparisonItem, ComparisonKind, ComparisonOutcome
from canlian.indicators import Measure
from canlian.records import MOVE_CHUNK, records_changed_once
from outreach.models import OPEN_CONTRACT, FamilyDoctorContract
from registry.models import Person, Status

SIGN, END = "家庭医生签约", "家庭医生解约"
INSTITUTION_MAX = FamilyDoctorContract._meta.get_field("institution").max_length


def parse_institution(value: object) -> str:
    """The 新值 of a signing: the institution's name, spaces collapsed."""
    name = " ".join(str(value).split())
    if not name:
        raise ValidationError("家庭医生签约须填写签约机构名称")
    if len(name) > INSTITUTION_MAX:
        raise ValidationError(f"签约机构名称不能超过 {INSTITUTION_MAX} 字")
    return name


def _contracts_of(person_ids) -> dict[int, list[FamilyDoctorContract]]:
    """The standing contracts of the persons, each person's in date order."""
    ids = sorted(set(person_ids))
    chains: dict[int, list[FamilyDoctorContract]] = {pk: [] for pk in ids}
    for start in range(0, len(ids), MOVE_CHUNK):
        rows = FamilyDoctorContract.objects.standing().filter(person_id__in=ids[start : start + MOVE_CHUNK])
        for contract in rows.order_by("signed_on", "id"):
            chains[contract.person_id].append(contract)
    return chains


def _after_life(person: Person, day: datetime.date, what: str) -> str:
    if person.status != Status.ACTIVE and person.status_date and day > person.status_date:
        return f"该人员已于 {person.status_date:%Y-%m-%d} {person.get_status_display()}，{what}不能晚于此日期，未登记"
    return ""


def _ending(contract: FamilyDoctorContract, day: datetime.date, ended: list) -> None:
    """The contract ends on `day`: a stored one is updated with the others at the end, a
    new one of this file is inserted already ended."""
    contract.ended_on = day
    if contract.pk is not None:
        ended.append(contract)


def _sign(item: ComparisonItem, chain: list, *, user, source: str, created: list, ended: list) -> ComparisonOutcome:
    day, institution = item.date, item.value
    if any(c.signed_on == day and c.institution == institution for c in chain):
        return ComparisonOutcome()
    if refusal := _after_life(item.person, day, "签约日期"):
        return ComparisonOutcome(refusal=refusal)
    latest = chain[-1] if chain else None
    if latest is not None and day <= latest.signed_on:
        return ComparisonOutcome(
            refusal=f"系统中该人员 {latest.signed_on:%Y-%m-%d} 已签约“{latest.institution}”，"
            f"本行的签约日期不晚于此日期，未登记；如需更正请联系区残联"
        )
    if latest is not None and latest.ended_on is not None and day < latest.ended_on:
        return ComparisonOutcome(
            refusal=f"系统中该人员上一份签约至 {latest.ended_on:%Y-%m-%d} 解约，本行签约日期早于解约日期，未登记"
        )
    if latest is not None and latest.ended_on is None:
        _ending(latest, day, ended)  # renewed, or signed with another institution
    contract = FamilyDoctorContract(
        person=item.person,
        area_code=item.person.area_id,
        recorded_by=user,
        institution=institution,
        signed_on=day,
        source=source[:60],
    )
    chain.append(contract)
    created.append(contract)
    return ComparisonOutcome(changed=True)


def _end(item: ComparisonItem, chain: list, *, ended: list) -> ComparisonOutcome:
    day = item.date
    latest = chain[-1] if chain else None
    if latest is None:
        return ComparisonOutcome(refusal="系统中该人员没有家庭医生签约记录，无法登记解约")
    if latest.ended_on is not None:
        if latest.ended_on == day:
            return ComparisonOutcome()
        return ComparisonOutcome(
            refusal=f"系统中该人员的签约已于 {latest.ended_on:%Y-%m-%d} 解约，与本行日期不同，未登记"
        )
    if day < latest.signed_on:
        return ComparisonOutcome(
            refusal=f"解约日期早于签约日期（{latest.signed_on:%Y-%m-%d}，{latest.institution}），未登记"
        )
    _ending(latest, day, ended)
    return ComparisonOutcome(changed=True)


def contracts_apply(items: list[ComparisonItem], *, user, source: str) -> list[ComparisonOutcome]:
    """Record the signings and endings of a comparison (its persons locked by it): each
    person's rows in date order against the contracts already held, then the ended
    contracts updated and the new ones inserted (in that order: the one-in-force key)."""
    chains = _contracts_of(item.person.pk for item in items)
    outcomes: list[ComparisonOutcome | None] = [None] * len(items)
    created: list[FamilyDoctorContract] = []
    ended: list[FamilyDoctorContract] = []
    for index in sorted(range(len(items)), key=lambda i: (items[i].date, items[i].row)):
        item = items[index]
        chain = chains[item.person.pk]
        if item.kind == SIGN:
            outcomes[index] = _sign(item, chain, user=user, source=source, created=created, ended=ended)
        else:
            outcomes[index] = _end(item, chain, ended=ended)
    FamilyDoctorContract.objects.bulk_update(ended, ["ended_on"], batch_size=1000)
    FamilyDoctorContract.objects.bulk_create(created, batch_size=1000)
    if ended or created:
        records_changed_once(FamilyDoctorContract, None)
    return outcomes


COMPARISON_KINDS = (
    ComparisonKind(
        SIGN,
        "family_doctor",
        "签约机构名称（家庭医生所在的社区卫生服务中心、卫生院等）",
        parse_institution,
        contracts_apply,
    ),
    ComparisonKind(END, "family_doctor", "留空（当前签约自该日解约）", None, contracts_apply),
)


# Reading --------------------------------------------------------------------------------


def in_force() -> QuerySet:
    return FamilyDoctorContract.objects.standing().filter(OPEN_CONTRACT)


def person_contracts(person: Person) -> list[FamilyDoctorContract]:
    """The person's standing contracts, newest first (the person page and timeline)."""
    return list(person.outreach_doctor_contracts.standing().order_by("-signed_on", "-id"))


def signed_share(year: int) -> Measure:
    """Of the active persons now, the share with a family-doctor contract in force: a stock,
    counted as of now, per town of the persons (the registry's, so a person counts where
    they live)."""
    signed = in_force().filter(person=OuterRef("pk"))
    return Measure(
        rows=Person.objects.filter(status=Status.ACTIVE),
        area="area_id",
        month=None,
        value=Count("id", filter=Q(Exists(signed))),
        base=Count("id"),
    )

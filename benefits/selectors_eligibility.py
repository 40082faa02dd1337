"""Reading the eligibility lists (资格比对): their filter, read from GET parameters for a
user, and the lists and counts it selects.

For a scheme and a month: who is eligible (符合条件), who is eligible but has no award
(应享未享), and who has an award but is not eligible (不应享而享, with why). The page, its
export and an export rebuilt in a background job from its stored parameters
(`benefits.exports.EligibilityExporter`) all start from `eligibility_filter`, and every
list from `Person.objects.visible_to(user)`, so a town officer sees and exports their own
town only, in a job as on the page.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils.http import urlencode

from areas.models import Level
from benefits import exports
from benefits.models import Scheme
from benefits.months import MonthError, month_start, parse_month
from benefits.rules import ineligibility_reasons
from benefits.selectors import (
    awards_active_in,
    eligible_not_receiving,
    eligible_not_receiving_parts,
    eligible_parts,
    eligible_persons,
    receiving_not_eligible,
)
from canlian.prefix import prefix_filter
from registry.models import Person
from registry.scoping import areas_visible_to

LISTS = {"eligible": "符合条件", "missing": "应享未享", "wrong": "不应享而享"}
DEFAULT_LIST = "eligible"


def eligibility_schemes() -> QuerySet:
    """Schemes with an automatic rule; a case-by-case scheme has no eligibility list."""
    return Scheme.objects.filter(is_active=True).exclude(rule="manual")


class EligibilityForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label="补贴项目",
        queryset=Scheme.objects.none(),
        required=False,
        empty_label=None,
        to_field_name="code",
        error_messages={"invalid_choice": "没有可比对的补贴项目“%(value)s”"},
    )
    month = forms.CharField(
        label="月份",
        required=False,
        max_length=10,
        help_text="如 2021-01",
        error_messages={"max_length": "月份格式不正确（应为 2021-01 或 2021/1）"},
    )
    town = forms.ChoiceField(
        label="镇(街)", required=False, error_messages={"invalid_choice": "镇(街)“%(value)s”不在您的管辖范围内"}
    )
    list = forms.ChoiceField(
        label="名单",
        required=False,
        choices=list(LISTS.items()),
        error_messages={"invalid_choice": "没有名单“%(value)s”（应为符合条件、应享未享或不应享而享）"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = eligibility_schemes()
        towns = areas_visible_to(user).filter(level=Level.TOWN, is_active=True).order_by("code")
        self.fields["town"].choices = [("", "全部"), *((a.code, a.name) for a in towns)]

    def clean_month(self) -> datetime.date | None:
        raw = self.cleaned_data["month"]
        if not raw:
            return None
        try:
            return parse_month(raw)
        except MonthError as exc:
            raise forms.ValidationError(str(exc)) from None


@dataclass(frozen=True)
class EligibilityQuery:
    scheme: Scheme
    month: datetime.date
    town: str
    list: str

    def params(self, **override) -> str:
        values = {"scheme": self.scheme.code, "month": f"{self.month:%Y-%m}", "town": self.town, "list": self.list}
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def label(self) -> str:
        return LISTS[self.list]


@dataclass(frozen=True)
class EligibilityFilter:
    """What the GET parameters ask for: `query` takes each field that validates and the
    default of each that does not (the first scheme, this month, all towns, the eligible
    list), or is None when no scheme has an eligibility list; `errors` says in Chinese why
    a field was not taken. The page shows the defaulted list with the form's reasons; an
    export refuses to write a list it was not asked for."""

    form: EligibilityForm
    query: EligibilityQuery | None
    errors: tuple[str, ...]


def eligibility_filter(user, params) -> EligibilityFilter:
    """The eligibility filter of `params` (a QueryDict: a request's GET, or an export job's
    stored query) for `user`, whose scope bounds the towns it may name."""
    form = EligibilityForm(params or None, user=user)
    data, errors = {}, ()
    if form.is_bound:
        form.is_valid()  # keeps the fields that validate in cleaned_data, the others say why
        data = form.cleaned_data
        errors = tuple(message for field in form.errors.values() for message in field)
    scheme = data.get("scheme") or eligibility_schemes().first()
    if scheme is None:
        return EligibilityFilter(form, None, errors)
    query = EligibilityQuery(
        scheme=scheme,
        month=data.get("month") or month_start(datetime.date.today()),
        town=data.get("town") or "",
        list=data.get("list") or DEFAULT_LIST,
    )
    return EligibilityFilter(form, query, errors)


def eligibility_scope(user, town: str = "") -> QuerySet:
    """The persons a list is drawn from: the user's, of one town if named."""
    persons = Person.objects.visible_to(user)
    return persons.filter(prefix_filter("area__code", town[: exports.TOWN_PREFIX])) if town else persons


def eligibility_list(query: EligibilityQuery, persons: QuerySet, which: str | None = None) -> QuerySet:
    """The list `which` (the query's by default) of `persons`, annotated with their state in
    the month (`persons_as_of`); 不应享而享 with its award's start (`award_start`)."""
    which = which or query.list
    if which == "missing":
        return eligible_not_receiving(query.scheme, query.month, persons)
    if which == "wrong":
        award_start = (
            awards_active_in(query.scheme, query.month)
            .filter(person=OuterRef("pk"))
            .order_by("start_month")
            .values("start_month")[:1]
        )
        return receiving_not_eligible(query.scheme, query.month, persons).annotate(award_start=Subquery(award_start))
    return eligible_persons(query.scheme, query.month, persons)


def eligibility_rows(query: EligibilityQuery, user) -> QuerySet:
    """The query's list in the user's scope, in the order of the page and the export."""
    listed = eligibility_list(query, eligibility_scope(user, query.town))
    return listed.select_related("area", "area__parent").order_by("area_id", "id_number")


def _count_parts(query: EligibilityQuery, persons: QuerySet, which: str) -> list[QuerySet]:
    """A list as disjoint querysets whose counts add up (benefits.selectors.eligible_parts)."""
    if which == "eligible":
        return eligible_parts(query.scheme, query.month, persons)
    if which == "missing":
        return eligible_not_receiving_parts(query.scheme, query.month, persons)
    return [eligibility_list(query, persons, which)]


def eligibility_count(query: EligibilityQuery, user) -> int:
    """The size of the query's list in the user's scope, counted by its parts."""
    return sum(part.count() for part in _count_parts(query, eligibility_scope(user, query.town), query.list))


def eligibility_counts(query: EligibilityQuery, persons: QuerySet) -> tuple[list[dict], dict]:
    """Each list's size per town (over the user's whole scope, whatever the town filter)."""
    names = exports.town_names()
    towns: dict[str, dict] = {}
    for which in LISTS:
        for part in _count_parts(query, persons, which):
            rows = (
                part.annotate(town=Substr("area_id", 1, exports.TOWN_PREFIX))
                .values("town")
                .annotate(n=Count("pk"))
                .order_by("town")
            )
            for row in rows:
                town = towns.setdefault(
                    row["town"], {"code": row["town"] + "000", "name": exports.town_name(row["town"], names)}
                )
                town[which] = town.get(which, 0) + row["n"]
    rows = [{**dict.fromkeys(LISTS, 0), **town} for _, town in sorted(towns.items())]
    total = {which: sum(r[which] for r in rows) for which in LISTS}
    return rows, total


def eligibility_reasons(query: EligibilityQuery):
    """Why a person of 不应享而享 is not eligible in the month (a function of the person);
    None for the other lists."""
    if query.list != "wrong":
        return None
    return lambda person: ineligibility_reasons(person, query.scheme, query.month)

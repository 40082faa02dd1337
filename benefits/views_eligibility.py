"""Eligibility pages (资格比对): for a scheme and a month, who is eligible (符合条件), who
is eligible but has no award (应享未享), and who has an award but is not eligible
(不应享而享, with why). Counts per town on top; each list paginated and exportable.

Everything starts from `Person.objects.visible_to(user)`, so a town officer sees and
exports their own town only.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

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
from canlian.exporting import export_response
from canlian.prefix import prefix_filter
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy, areas_visible_to

PAGE_SIZE = 50
LISTS = {"eligible": "符合条件", "missing": "应享未享", "wrong": "不应享而享"}
DEFAULT_LIST = "eligible"


def eligibility_schemes() -> QuerySet:
    """Schemes with an automatic rule; a case-by-case scheme has no eligibility list."""
    return Scheme.objects.filter(is_active=True).exclude(rule="manual")


class EligibilityForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label="补贴项目", queryset=Scheme.objects.none(), required=False, empty_label=None, to_field_name="code"
    )
    month = forms.CharField(label="月份", required=False, max_length=10, help_text="如 2021-01")
    town = forms.ChoiceField(label="镇(街)", required=False)
    list = forms.ChoiceField(label="名单", required=False, choices=list(LISTS.items()))

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
class Query:
    scheme: Scheme
    month: datetime.date
    town: str
    list: str

    def params(self, **override) -> str:
        values = {"scheme": self.scheme.code, "month": f"{self.month:%Y-%m}", "town": self.town, "list": self.list}
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v})


def _query(request) -> tuple[EligibilityForm, Query | None]:
    """The form and what it asks for; a field that does not validate falls back to its
    default (the first scheme, this month, all towns, the eligible list)."""
    form = EligibilityForm(request.GET or None, user=request.user)
    data = {}
    if form.is_bound:
        form.is_valid()  # keeps the fields that validate in cleaned_data, the others show why
        data = form.cleaned_data
    scheme = data.get("scheme") or eligibility_schemes().first()
    if scheme is None:
        return form, None
    return form, Query(
        scheme=scheme,
        month=data.get("month") or month_start(datetime.date.today()),
        town=data.get("town") or "",
        list=data.get("list") or DEFAULT_LIST,
    )


def _scope(user, town: str = "") -> QuerySet:
    persons = Person.objects.visible_to(user)
    return persons.filter(prefix_filter("area__code", town[: exports.TOWN_PREFIX])) if town else persons


def _list(query: Query, persons: QuerySet, which: str | None = None) -> QuerySet:
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


def _count_parts(query: Query, persons: QuerySet, which: str) -> list[QuerySet]:
    """A list as disjoint querysets whose counts add up (benefits.selectors.eligible_parts)."""
    if which == "eligible":
        return eligible_parts(query.scheme, query.month, persons)
    if which == "missing":
        return eligible_not_receiving_parts(query.scheme, query.month, persons)
    return [_list(query, persons, which)]


def _counts(query: Query, persons: QuerySet) -> tuple[list[dict], dict]:
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


def _reasons(query: Query):
    return lambda person: ineligibility_reasons(person, query.scheme, query.month)


@require_GET
@permission_required("benefits.view_eligibility", raise_exception=True)
def eligibility(request):
    form, query = _query(request)
    context = {"form": form, "query": query, "lists": LISTS}
    if query is None:
        return render(request, "benefits/eligibility_list.html", context)
    privacy = Privacy.for_user(request.user)
    persons = _scope(request.user)
    counts, total = _counts(query, persons)
    listed = _list(query, _scope(request.user, query.town)).select_related("area", "area__parent")
    page = Paginator(listed.order_by("area_id", "id_number"), PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = _reasons(query) if query.list == "wrong" else None
    page.object_list = [
        {
            "person": PersonView(person, privacy),
            "state": exports.as_of_labels(person),
            "reasons": reasons(person) if reasons else [],
            "award_start": getattr(person, "award_start", None),
        }
        for person in page.object_list
    ]
    context.update(
        {
            "privacy": privacy,
            "counts": counts,
            "total": total,
            "page": page,
            "tabs": [(key, label, query.params(list=key)) for key, label in LISTS.items()],
            "params": query.params(),
            "may_export": request.user.has_perm("registry.export_persons"),
        }
    )
    return render(request, "benefits/eligibility_list.html", context)


@require_GET
@permission_required(["benefits.view_eligibility", "registry.export_persons"], raise_exception=True)
def eligibility_export(request):
    """The list the page shows (all its pages) as .xlsx. Full ID numbers only on request
    (reveal=1) and with the reveal permission; every export is logged."""
    _form, query = _query(request)
    if query is None:
        raise Http404("没有可比对的补贴项目")
    privacy = Privacy.for_user(request.user)
    reveal = request.GET.get("reveal") == "1" and privacy.may_reveal and privacy.personal
    listed = _list(query, _scope(request.user, query.town)).select_related("area", "area__parent")
    exporter = exports.EligibilityExporter(
        listed.order_by("area_id", "id_number"),
        sheet_name=LISTS[query.list],
        filename=f"{LISTS[query.list]}_{query.scheme.short_name or query.scheme.code}_{query.month:%Y%m}.xlsx",
        privacy=privacy,
        reveal=reveal,
        filters={
            "list": query.list,
            "scheme": query.scheme.code,
            "month": f"{query.month:%Y-%m}",
            "town": query.town,
        },
        reasons=_reasons(query) if query.list == "wrong" else None,
    )
    return export_response(request, exporter)

"""Reading persons: the filtered, sorted list that the list page, its export and search share."""

import datetime

from django import forms
from django.db.models import Q, QuerySet, Sum

from areas.models import Area, Level
from canlian.params import ascii_digits
from canlian.prefix import prefix_filter
from canlian.scoping import scoped_by_area_alone
from registry.household_selectors import multi_disabled_households
from registry.identifiers import normalize
from registry.models import Category, ChangeRequest, EconomicStatus, Grade, Person, PersonCount, Status
from registry.scoping import Privacy, areas_visible_to

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "area": ("area_id", "name", "id"),
    "-area": ("-area_id", "-name", "-id"),
    "category": ("category", "grade", "id"),
    "-category": ("-category", "-grade", "-id"),
    "grade": ("grade", "category", "id"),
    "-grade": ("-grade", "-category", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}
DEFAULT_SORT = "area"


def _blank(choices):
    return [("", "全部"), *choices]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="姓名/身份证号/残疾人证号", required=False, max_length=40)
    town = forms.ChoiceField(label="镇(街)", required=False)
    community = forms.ChoiceField(label="村(居)", required=False)
    category = forms.TypedChoiceField(label="残疾类别", required=False, coerce=int, choices=_blank(Category.choices))
    grade = forms.TypedChoiceField(label="残疾等级", required=False, coerce=int, choices=_blank(Grade.choices))
    status = forms.ChoiceField(label="人员状态", required=False, choices=_blank(Status.choices))
    economic_status = forms.ChoiceField(label="经济状况", required=False, choices=_blank(EconomicStatus.choices))
    lives_alone = forms.ChoiceField(label="独居/无人照料", required=False, choices=_blank([("1", "是"), ("0", "否")]))
    multi_disabled = forms.ChoiceField(label="一户多残", required=False, choices=_blank([("1", "是")]))
    sort = forms.ChoiceField(label="排序", required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = list(areas_visible_to(user).filter(is_active=True, level__gte=Level.TOWN).order_by("code"))
        towns = [a for a in areas if a.level == Level.TOWN]
        self.fields["town"].choices = _blank([(a.code, a.name) for a in towns])
        town_code = self.data.get("town") if self.data else None
        communities = [a for a in areas if a.level == Level.COMMUNITY and (not town_code or a.parent_id == town_code)]
        names = {a.code: a.name for a in towns}
        self.fields["community"].choices = _blank(
            [(a.code, f"{names.get(a.parent_id, '')} {a.name}".strip()) for a in communities]
        )
        self.privacy = Privacy.for_user(user)
        if not self.privacy.personal:
            # A leader sees no identifiers, so may not look persons up by them either; the
            # counters of their table know no households.
            del self.fields["q"]
            del self.fields["multi_disabled"]

    def selects(self) -> list[tuple[forms.BoundField, list[tuple[str, str, bool]]]]:
        """The filter selects, each with its options as (value, label, selected): marked
        here once, not compared in the template for each of a hundred options."""
        selects = []
        for bound in self:
            if bound.name in ("q", "sort"):
                continue
            current = str(bound.value())
            selects.append((bound, [(str(v), label, str(v) == current) for v, label in bound.field.choices]))
        return selects


def search_filter(query: str) -> Q:
    """Name prefix, or ID / certificate number (prefix from 6 characters, exact at 18+,
    the last four digits of the ID)."""
    text = normalize(query)
    if not text:
        return Q()
    looks_like_number = ascii_digits(text.replace("X", "0"))
    if looks_like_number and len(text) >= 18:
        return Q(id_number=text[:18]) | prefix_filter("certificate_number", text)
    if looks_like_number and len(text) >= 6:
        return prefix_filter("id_number", text) | prefix_filter("certificate_number", text)
    if looks_like_number and len(text) == 4:
        return Q(id_number__endswith=text)
    return Q(name__startswith=text)


def filtered_persons(request) -> tuple[QuerySet, PersonFilterForm]:
    """The persons the user may see, filtered and sorted by the request's GET parameters.
    Invalid parameters are ignored (the form shows why), never widen the scope."""
    form = PersonFilterForm(request.GET or None, user=request.user)
    queryset = Person.objects.visible_to(request.user).select_related("area", "area__parent")
    data = _filter_data(form)
    for condition in _conditions(data).values():
        queryset = queryset.filter(condition)
    sort = data.get("sort") or DEFAULT_SORT
    return queryset.order_by(*SORTS[sort]), form


def filtered_persons_count(user, form: PersonFilterForm, persons: QuerySet) -> int:
    """How many persons `filtered_persons` lists: summed from `PersonCount` when every filter
    set is one of its columns (all but the search), so the district's total is a sum over
    some 24,000 counters at 10^6 persons, not a count of 10^6 rows; `COUNT(*)` of the list
    for a search (a name prefix, an ID or certificate number: few rows), and for a user whom
    a scope provider other than the area grants persons (the counters know only areas)."""
    conditions = _conditions(_filter_data(form))
    if not conditions.keys() <= PersonCount.COUNTED_FILTERS or not scoped_by_area_alone(user, Person):
        return persons.count()
    counters = PersonCount.objects.visible_to(user)
    for condition in conditions.values():
        counters = counters.filter(condition)
    return counters.aggregate(total=Sum("persons"))["total"] or 0


# The columns a leader's table of counts can be broken down by, with their labels.
COUNT_COLUMNS = {"category": ("残疾类别", Category), "grade": ("残疾等级", Grade), "status": ("人员状态", Status)}


def person_counts_table(user, form: PersonFilterForm, by: str) -> dict:
    """What a user without access to personal data (a leader) sees instead of the list:
    the persons `filtered_persons` would list, counted per town (per community once a town
    or community is chosen) and by `by`, summed from `PersonCount` like the list's total.
    Every current area of the table's level has its row, with noughts where none count."""
    data = _filter_data(form)
    counters = PersonCount.objects.visible_to(user)
    for name, condition in _conditions(data).items():
        if name != "q":
            counters = counters.filter(condition)
    per_community = bool(data.get("town") or data.get("community"))
    label, choices = COUNT_COLUMNS[by]
    columns = list(choices)
    areas = areas_visible_to(user).filter(is_active=True, level=Level.COMMUNITY if per_community else Level.TOWN)
    if data.get("community"):
        areas = areas.filter(code=data["community"])
    elif data.get("town"):
        areas = areas.filter(parent_id=data["town"])
    cells: dict[str, dict] = {code: dict.fromkeys(columns, 0) for code in areas.values_list("code", flat=True)}
    for group in counters.values("area_id", by).annotate(n=Sum("persons")).order_by():
        area_id = group["area_id"]
        row = cells.setdefault(area_id if per_community else area_id[:9] + "000", dict.fromkeys(columns, 0))
        row[choices(group[by])] += group["n"]
    names = dict(Area.objects.filter(code__in=cells).values_list("code", "name"))
    rows = [
        {"name": names.get(code, code), "counts": list(row.values()), "total": sum(row.values())}
        for code, row in sorted(cells.items())
    ]
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(columns))]
    return {
        "area_label": "村(居)" if per_community else "镇(街)",
        "by_label": label,
        "columns": [c.label for c in columns],
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
    }


def _filter_data(form: PersonFilterForm) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _conditions(data: dict) -> dict[str, Q]:
    """The list's filters by form field. The lookups name fields that `Person` and
    `PersonCount` share (area, status, category, grade), so a count can reuse them."""
    conditions = {}
    if data.get("q"):
        conditions["q"] = search_filter(data["q"])
    if data.get("community"):
        conditions["community"] = Q(area_id=data["community"])
    elif data.get("town"):
        conditions["town"] = prefix_filter("area__code", data["town"][:9])
    for field in ("category", "grade", "status", "economic_status"):
        if data.get(field) not in (None, ""):
            conditions[field] = Q(**{field: data[field]})
    if data.get("lives_alone") in ("0", "1"):
        conditions["lives_alone"] = Q(lives_alone=data["lives_alone"] == "1")
    if data.get("multi_disabled") == "1":
        # Counted by its rows (not a `PersonCount` column): a few percent of the persons.
        conditions["multi_disabled"] = Q(household__in=multi_disabled_households())
    return conditions


def person_for_user(user, pk: int) -> Person:
    """The person if the user may see them; 404 otherwise, as for one that does not exist."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Person.objects.visible_to(user).select_related("area", "area__parent"), pk=pk)


def certificates_for_renewal(user, today, days: int) -> QuerySet:
    """Persons of the user's scope, still active, whose certificate's validity ends within
    `days` of `today` or has ended (换证: renewal due, or overdue). A certificate without an
    end date is valid for good and never due."""
    until = today + datetime.timedelta(days=days)
    return Person.objects.visible_to(user).filter(status=Status.ACTIVE, certificate_valid_until__lte=until)


# Change requests (变更申请, registry.changes) ----------------------------------------------

CHANGE_REQUEST_ROW = ("person__area__parent", "requested_by", "decided_by")


def change_requests_for(user) -> QuerySet:
    """The change requests of the persons in the user's scope, newest first."""
    return ChangeRequest.objects.visible_to(user).select_related(*CHANGE_REQUEST_ROW)


def change_requests_for_review(user) -> QuerySet:
    """Pending requests this user may decide: not one they asked for themselves (the
    service refuses those)."""
    if not user.has_perm("registry.decide_changerequest"):
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.visible_to(user).filter(state=ChangeRequest.State.PENDING).exclude(requested_by=user)


def change_request_for_user(user, pk: int) -> ChangeRequest:
    """The request if its person is in the user's scope; 404 otherwise."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(change_requests_for(user), pk=pk)

"""Eligibility rules. Each rule is a small function of the scheme's parameters that returns
a database filter over persons annotated with their state *as of a day*, so "who is
eligible in month M" is one query over the whole registry.

A person's state at the start of day D is read back from the registry's dated events: the
value of a field is the `old_value` of its first event dated D or later, else the current
value. Reading at the *start* of the first day of a month means an event on any day of a
month, the 1st included, takes effect from the next month: the month of the event is paid.
"""

import datetime
from collections.abc import Callable

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Cast, Coalesce

from registry.models import Person, PersonEvent

STATE_FIELDS = {
    "st_status": "status",
    "st_grade": "grade",
    "st_category": "category",
    "st_economic": "economic_status",
    "st_valid_until": "certificate_valid_until",
}


def _changed_since(day: datetime.date):
    """Persons with an event dated `day` or later: the few whose state on `day` differs
    from their current row. Uncorrelated, so the database hashes it once per query."""
    return PersonEvent.objects.filter(date__gte=day).values("person_id")


def _read_back(field: str, day: datetime.date, person: str):
    """A person's `field` at the start of `day` (as text): the `old_value` of their first
    event of that field dated `day` or later, else the current value."""
    prefix = f"{person}__" if person else ""
    person_id = f"{person}_id" if person else "pk"
    first_later = (
        PersonEvent.objects.filter(person=OuterRef(person_id), field=field, date__gte=day)
        .order_by("date", "id")
        .values("old_value")[:1]
    )
    return Coalesce(Subquery(first_later), Cast(F(prefix + field), CharField()))


def _as_of(field: str, day: datetime.date, person: str):
    prefix = f"{person}__" if person else ""
    person_id = f"{person}_id" if person else "pk"
    # Only persons changed since `day` pay for the correlated look-up; everyone else's
    # state on `day` is their current row.
    return Case(
        When(Q(**{f"{person_id}__in": _changed_since(day)}), then=_read_back(field, day, person)),
        default=Cast(F(prefix + field), CharField()),
        output_field=CharField(),
    )


def annotate_state(queryset: QuerySet, day: datetime.date, *, person: str = "") -> QuerySet:
    """Annotate rows with the state on `day` (as text) of a person: the rows themselves
    (`person=""`) or the person behind a foreign key (`person="person"` on awards)."""
    prefix = f"{person}__" if person else ""
    return queryset.annotate(
        st_person_id=F(f"{person}_id" if person else "pk"),
        st_issued=F(prefix + "certificate_issued"),
        **{name: _as_of(field, day, person) for name, field in STATE_FIELDS.items()},
    )


def persons_as_of(day: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """Persons annotated with their state on `day` (as text)."""
    return annotate_state(Person.objects.all() if queryset is None else queryset, day)


class State:
    """Where a rule reads a person's state: their current columns (typed, indexable) or the
    as-of annotations of `annotate_state` (text). Rules are written once against this."""

    def __init__(self, *, as_of: bool, person: str = "") -> None:
        prefix = f"{person}__" if person else ""
        self.as_of = as_of
        self.person_ref = f"{person}_id" if person else "pk"
        self.issued = prefix + "certificate_issued"
        if as_of:
            self.names = {state[3:]: state for state in STATE_FIELDS}
        else:
            self.names = {state[3:]: prefix + field for state, field in STATE_FIELDS.items()}

    def _value(self, value):
        return str(value) if self.as_of else value

    def eq(self, name: str, value) -> Q:
        return Q(**{self.names[name]: self._value(value)})

    def isin(self, name: str, values) -> Q:
        return Q(**{f"{self.names[name]}__in": [self._value(v) for v in values]})

    def valid_on(self, day: datetime.date) -> Q:
        field = self.names["valid_until"]
        if self.as_of:
            return Q(**{f"{field}__isnull": True}) | Q(**{field: ""}) | Q(**{f"{field}__gte": day.isoformat()})
        return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": day})

    def issued_by(self, day: datetime.date) -> Q:
        return Q(**{f"{self.issued}__isnull": True}) | Q(**{f"{self.issued}__lte": day})


def base_filter(params: dict, day: datetime.date, state: State) -> Q:
    """Every scheme: status active, certificate issued and valid on the day, and (by
    default) not supported as 特困 (extreme poverty)."""
    q = state.eq("status", "active") & state.issued_by(day) & state.valid_on(day)
    if params.get("exclude_tekun", True):
        q &= ~state.eq("economic", "tekun")
    return q


Rule = Callable[[dict, datetime.date, State], Q]
RULES: dict[str, tuple[str, Rule]] = {}


def rule(name: str, label: str):
    def register(function: Rule) -> Rule:
        RULES[name] = (label, function)
        return function

    return register


@rule("living", "困难残疾人生活补贴：低保或低保边缘家庭")
def living(params: dict, day: datetime.date, state: State) -> Q:
    return state.isin("economic", params.get("economic", ["dibao", "near_dibao"]))


@rule("nursing", "重度残疾人护理补贴：一、二级，或三、四级智力/精神")
def nursing(params: dict, day: datetime.date, state: State) -> Q:
    return state.isin("grade", params.get("grades", [1, 2])) | state.isin(
        "category", params.get("extended_categories", [5, 6])
    )


@rule("all_holders", "所有有效持证残疾人")
def all_holders(params: dict, day: datetime.date, state: State) -> Q:
    return Q()


@rule("basic_insurance", "精神、智力残疾及重度残疾人")
def basic_insurance(params: dict, day: datetime.date, state: State) -> Q:
    return state.isin("category", [5, 6]) | state.isin("grade", [1, 2])


@rule("fuel", "下肢残疾且登记有在用机动轮椅车")
def fuel(params: dict, day: datetime.date, state: State) -> Q:
    from benefits.models import Vehicle

    vehicle = Vehicle.objects.filter(person=OuterRef(state.person_ref), lower_limb=True, registered_on__lte=day).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gt=day)
    )
    return state.eq("category", 4) & Q(Exists(vehicle))


@rule("manual", "逐案审核（无自动认定）")
def manual(params: dict, day: datetime.date, state: State) -> Q:
    return Q()


def _rule(scheme) -> Rule:
    label_function = RULES.get(scheme.rule)
    if label_function is None:
        raise ValueError(f"unknown eligibility rule {scheme.rule!r}")
    return label_function[1]


def _parts(scheme, day: datetime.date, person: str, unchanged: Q) -> tuple[Q, Q]:
    function = _rule(scheme)
    person_id = f"{person}_id" if person else "pk"
    current = State(as_of=False, person=person)
    return (
        unchanged & base_filter(scheme.params, day, current) & function(scheme.params, day, current),
        Q(**{f"{person_id}__in": _eligible_changed(scheme, day)}),
    )


def scheme_filters(scheme, day: datetime.date, *, person: str = "") -> tuple[Q, Q]:
    """The scheme's rule on `day` in two disjoint parts, as filters over persons
    (`person=""`) or over rows pointing at a person (`person="person"` on awards):

    - the persons unchanged since `day`, decided on their current, typed columns (those with
      an economic status indexed by `person_eligibility_idx`, the range a living-subsidy rule
      reads); "unchanged" is a NOT EXISTS the database runs as an anti-join;
    - the few changed since, decided on their state read back from the events, in an
      uncorrelated subquery the database runs once.

    Neither part has a per-row subquery, so each can use an index and a parallel scan; a
    count is the sum of the two (`benefits.selectors.eligible_count`)."""
    person_id = f"{person}_id" if person else "pk"
    changed_since = PersonEvent.objects.filter(person=OuterRef(person_id), date__gte=day)
    return _parts(scheme, day, person, ~Q(Exists(changed_since)))


def scheme_filter(scheme, day: datetime.date, *, person: str = "") -> Q:
    """The scheme's rule on `day` as one filter: the two parts of `scheme_filters` OR-ed,
    with "unchanged" as an uncorrelated NOT IN (hashed once), since a correlated NOT EXISTS
    under an OR would be a look-up per row."""
    person_id = f"{person}_id" if person else "pk"
    unchanged, changed = _parts(scheme, day, person, ~Q(**{f"{person_id}__in": _changed_since(day)}))
    return unchanged | changed


def _eligible_changed(scheme, day: datetime.date):
    """Ids of the persons changed since `day` for whom the scheme's rule held on `day`."""
    function = _rule(scheme)
    as_of = State(as_of=True)
    return (
        Person.objects.filter(pk__in=_changed_since(day))
        .annotate(
            st_person_id=F("pk"),
            **{name: _read_back(field, day, "") for name, field in STATE_FIELDS.items()},
        )
        .filter(base_filter(scheme.params, day, as_of) & function(scheme.params, day, as_of))
        .values("pk")
    )


def ineligibility_reasons(person, scheme, day: datetime.date) -> list[str]:
    """Why an annotated person (from `persons_as_of(day)`) fails the scheme on `day`."""
    from registry.models import EconomicStatus, Status

    reasons = []
    if person.st_status != "active":
        reasons.append(Status(person.st_status).label)
    if person.certificate_issued and person.certificate_issued > day:
        reasons.append(f"当月尚未持证（发证日期 {person.certificate_issued:%Y-%m-%d}）")
    if person.st_valid_until and person.st_valid_until < day.isoformat():
        reasons.append(f"证件已过期（{person.st_valid_until}）")
    if scheme.params.get("exclude_tekun", True) and person.st_economic == "tekun":
        reasons.append("特困供养人员")
    if scheme.rule == "living" and person.st_economic not in scheme.params.get("economic", ["dibao", "near_dibao"]):
        reasons.append(f"经济状况：{EconomicStatus(person.st_economic).label}")
    if scheme.rule == "nursing":
        severe = [str(g) for g in scheme.params.get("grades", [1, 2])]
        extended = [str(c) for c in scheme.params.get("extended_categories", [5, 6])]
        if person.st_grade not in severe and person.st_category not in extended:
            reasons.append("等级：非重度且非智力/精神残疾")
    return reasons or ["不符合认定条件"]

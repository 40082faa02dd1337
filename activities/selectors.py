"""Reading activities: the scoped lists, an activity's participants (the user's own, and a
count of the others), a person's records, the year's figures and the five ones per town."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from activities.models import (
    CURRENT,
    Activity,
    ActivityKind,
    Association,
    FiveOne,
    FiveOneRecord,
    Membership,
    Organiser,
    Participation,
    Position,
)
from areas.models import Area, Level
from canlian.indicators import in_year
from canlian.prefix import prefix_filter
from registry.identifiers import normalize, parse_id_number
from registry.models import Person
from registry.scoping import areas_visible_to

TOWN_DIGITS = 9
FIRST_YEAR = 2016


def activities_visible_to(user) -> QuerySet:
    """The one visibility point of activities: the user's area's and the district-wide ones."""
    return Activity.objects.visible_to(user)


def participations_visible_to(user) -> QuerySet:
    """Standing participations of persons in the user's scope (by the person's community)."""
    return Participation.objects.standing().visible_to(user)


def five_ones_visible_to(user) -> QuerySet:
    return FiveOneRecord.objects.standing().visible_to(user)


def memberships_visible_to(user) -> QuerySet:
    return Membership.objects.standing().visible_to(user)


def years() -> list[int]:
    this_year = datetime.date.today().year
    return list(range(this_year, FIRST_YEAR - 1, -1))


def year_of(request) -> int:
    from canlian.params import int_param

    this_year = datetime.date.today().year
    return min(max(int_param(request, "year") or this_year, FIRST_YEAR), this_year)


def _styled(form: forms.Form) -> None:
    for bound in form.fields.values():
        css = "form-select form-select-sm" if isinstance(bound.widget, forms.Select) else "form-control form-control-sm"
        bound.widget.attrs.setdefault("class", css)


def filter_summary(form: forms.Form) -> dict[str, str]:
    """A list's filters as the audit log keeps them: the fields' Chinese labels and the
    chosen options' names (an auditor reads words, not codes)."""
    if not form.is_bound or not form.is_valid():
        return {}
    summary = {}
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        choices = dict((str(k), label) for k, label in getattr(field, "choices", ()))
        summary[str(field.label)] = str(choices.get(str(value), value))
    return summary


def _towns(user) -> list[tuple[str, str]]:
    towns = areas_visible_to(user).filter(level=Level.TOWN).order_by("-is_active", "code")
    return [(a.code, a.name) for a in towns]


# The activity list -----------------------------------------------------------------------


class ActivityFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int)
    kind = forms.ChoiceField(label="活动类型", required=False, choices=[("", "全部"), *ActivityKind.choices])
    organiser = forms.ChoiceField(label="主办方", required=False, choices=[("", "全部"), *Organiser.choices])
    town = forms.ChoiceField(label="主办镇(街)", required=False)
    q = forms.CharField(label="活动名称或编号", required=False, max_length=40)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部"), *[(y, y) for y in years()]]
        self.fields["town"].choices = [("", "全部"), *_towns(user)]
        _styled(self)


def filtered_activities(request) -> tuple[QuerySet, ActivityFilterForm]:
    """The activities the user may see, filtered by the request's GET parameters, newest
    first; invalid parameters are ignored (the form says why), never widen the scope."""
    form = ActivityFilterForm(request.GET or None, user=request.user)
    activities = activities_visible_to(request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("year"):
        activities = activities.filter(in_year("starts_on", data["year"]))
    if data.get("kind"):
        activities = activities.filter(kind=data["kind"])
    if data.get("organiser"):
        activities = activities.filter(organiser=data["organiser"])
    if data.get("town"):
        activities = activities.filter(area_id=data["town"])
    if data.get("q"):
        text = data["q"].strip()
        activities = activities.filter(Q(name__contains=text) | Q(code=text.upper()))
    return activities.order_by("-starts_on", "-id"), form


def with_counts(activities: QuerySet) -> QuerySet:
    """Each activity with its registered participants (all of them: a count names no one)."""
    return activities.select_related("area", "association", "centre").annotate(
        registered=Count("participations", filter=Q(participations__voided_at__isnull=True))
    )


def activity_for_user(user, pk: int) -> Activity:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        activities_visible_to(user).select_related("area", "association", "centre", "created_by"), pk=pk
    )


@dataclass
class Participants:
    """An activity's participants as a user may see them: the rows of persons in their
    scope, and how many others took part (persons of other towns: counted, not named)."""

    rows: list[Participation]
    hidden: int
    hidden_towns: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows) + self.hidden


def activity_participants(user, activity: Activity, *, names: bool = True) -> Participants:
    """Two queries: the user's participants (with their persons), and the others per town.
    Without `names` (a leader) every participant is counted, none listed."""
    mine = (
        participations_visible_to(user)
        .filter(activity=activity)
        .select_related("person", "person__area", "person__area__parent", "recorded_by")
        .order_by("person__area_id", "person__name", "id")
    )
    rows = list(mine) if names else []
    seen: dict[str, int] = {}
    for participation in rows:
        town = participation.area_code[:TOWN_DIGITS]
        seen[town] = seen.get(town, 0) + 1
    every = (
        Participation.objects.standing()
        .filter(activity=activity)
        .annotate(town=Substr("area_code", 1, TOWN_DIGITS))
        .values("town")
        .annotate(n=Count("id"))
        .order_by("town")
    )
    counted = [(e["town"], e["n"] - seen.get(e["town"], 0)) for e in every if e["n"] > seen.get(e["town"], 0)]
    names = _town_names(town for town, _ in counted)
    towns = [(names.get(town + "000", "其他"), n) for town, n in counted]
    return Participants(rows=rows, hidden=sum(n for _, n in counted), hidden_towns=towns)


NOT_IN_SCOPE = "在您的管辖范围内没有该身份证号的持证人员"


def person_by_id_number(user, text: str) -> Person:
    """The person of the user's scope with this ID number; a wrong number raises its
    IdentifierError, an unknown or out-of-scope one a ValidationError (the same answer)."""
    number = parse_id_number(normalize(text)).number
    person = Person.objects.visible_to(user).filter(id_number=number).first()
    if person is None:
        raise ValidationError(NOT_IN_SCOPE)
    return person


def person_search(user, query: str, limit: int = 20) -> list[Person]:
    """Persons of the user's scope matching a name prefix or a number (the person list's
    search), for choosing a participant."""
    from registry.selectors import search_filter

    query = query.strip()
    if not query:
        return []
    persons = Person.objects.visible_to(user).filter(search_filter(query))
    return list(persons.select_related("area", "area__parent").order_by("area_id", "name", "id")[:limit])


# A person's records ----------------------------------------------------------------------


def person_participations(person: Person, limit: int = 100) -> list[Participation]:
    records = person.activity_participations.standing().select_related("activity", "activity__area", "activity__centre")
    return list(records.order_by("-attended_on", "-id")[:limit])


def person_five_ones(person: Person, year: int) -> dict[str, FiveOneRecord]:
    records = person.five_ones.standing().filter(year=year).select_related("activity")
    return {record.item: record for record in records}


def person_memberships(person: Person) -> list[Membership]:
    records = person.association_memberships.standing().select_related("association")
    return list(records.order_by("left_on", "-joined_on"))


# Figures ---------------------------------------------------------------------------------


@dataclass
class OrganiserFigures:
    name: str
    activities: int = 0
    registered: int = 0
    others: int = 0
    online: int = 0


@dataclass
class TownParticipation:
    town: str
    name: str
    person_times: int = 0
    persons: int = 0


def _town_names(codes) -> dict[str, str]:
    return dict(
        Area.objects.filter(level=Level.TOWN, code__in=[c[:TOWN_DIGITS] + "000" for c in codes]).values_list(
            "code", "name"
        )
    )


def organiser_figures(user, year: int) -> tuple[list[OrganiserFigures], OrganiserFigures]:
    """The year's activities the user sees, per organiser (the district, each association,
    each town with its centres): how many, their registered participants (counted, all
    towns) and the others who took part."""
    activities = activities_visible_to(user).filter(in_year("starts_on", year))
    grouped = (
        activities.values("organiser", "area_id", "association__name")
        .annotate(
            n=Count("id"),
            online=Count("id", filter=Q(online=True)),
            volunteers=Sum("volunteers"),
            family=Sum("family_members"),
            viewers=Sum("online_viewers"),
        )
        .order_by()
    )
    registered = (
        Participation.objects.standing()
        .filter(activity__in=activities)
        .values("activity__organiser", "activity__area_id", "activity__association__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = _town_names({entry["area_id"] for entry in grouped})
    rows: dict[tuple, OrganiserFigures] = {}

    def key_of(organiser: str, area: str, association: str | None) -> tuple:
        if organiser == Organiser.DISTRICT:
            return (0, "", "区残联")
        if organiser == Organiser.ASSOCIATION:
            return (1, association or "", association or "专门协会")
        return (2, area, f"{names.get(area, area)}（含康园中心）")

    def row(key: tuple) -> OrganiserFigures:
        return rows.setdefault(key, OrganiserFigures(key[2]))

    for entry in grouped:
        figures = row(key_of(entry["organiser"], entry["area_id"], entry["association__name"]))
        figures.activities += entry["n"]
        figures.online += entry["online"]
        figures.others += (entry["volunteers"] or 0) + (entry["family"] or 0) + (entry["viewers"] or 0)
    for entry in registered:
        key = key_of(entry["activity__organiser"], entry["activity__area_id"], entry["activity__association__name"])
        row(key).registered += entry["n"]
    ordered = [rows[key] for key in sorted(rows)]
    total = OrganiserFigures(
        "合计",
        activities=sum(r.activities for r in ordered),
        registered=sum(r.registered for r in ordered),
        others=sum(r.others for r in ordered),
        online=sum(r.online for r in ordered),
    )
    return ordered, total


def town_participation(user, year: int) -> tuple[list[TownParticipation], TownParticipation]:
    """Per town of the user's scope (the participants' towns), the year's participations
    (person-times) and persons who took part."""
    records = participations_visible_to(user).filter(in_year("attended_on", year))
    grouped = (
        records.annotate(town=Substr("area_code", 1, TOWN_DIGITS))
        .values("town")
        .annotate(times=Count("id"), persons=Count("person", distinct=True))
        .order_by("town")
    )
    names = _town_names(entry["town"] for entry in grouped)
    rows = [
        TownParticipation(e["town"], names.get(e["town"] + "000", e["town"]), e["times"], e["persons"]) for e in grouped
    ]
    total = TownParticipation(
        "", "合计", sum(r.person_times for r in rows), records.values("person").distinct().count()
    )
    return rows, total


# The five ones ---------------------------------------------------------------------------


class FiveOnesFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int)
    town = forms.ChoiceField(label="镇(街)", required=False)
    done = forms.TypedChoiceField(
        label="完成项数",
        required=False,
        coerce=int,
        choices=[("", "全部"), *[(n, f"{n} 项") for n in range(1, 6)]],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years()]
        self.fields["town"].choices = [("", "全部"), *_towns(user)]
        _styled(self)


@dataclass
class FiveOnesRow:
    """A person's five ones in a year: each item's record (or None) and how many done."""

    person: Person
    records: dict[str, FiveOneRecord]

    @property
    def done(self) -> int:
        return len(self.records)

    @property
    def items(self) -> list[FiveOneRecord | None]:
        return [self.records.get(item) for item in FiveOne.values]


def five_ones_filter(request) -> tuple[FiveOnesFilterForm, dict]:
    form = FiveOnesFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, {
        "year": data.get("year") or datetime.date.today().year,
        "town": data.get("town") or "",
        "done": data.get("done"),
    }


def five_ones_persons(user, *, year: int, town: str = "", done: int | None = None) -> QuerySet:
    """(person, area_code, done) of each person of the user's scope with at least one of
    the five in `year`, by town and community; `done` keeps those with that many."""
    records = five_ones_visible_to(user).filter(year=year)
    if town:
        records = records.filter(prefix_filter("area_code", town[:TOWN_DIGITS]))
    grouped = records.values("person", "area_code").annotate(done=Count("id")).order_by("area_code", "person")
    if done:
        grouped = grouped.filter(done=done)
    return grouped


def five_ones_rows(entries: list[dict], year: int) -> list[FiveOnesRow]:
    """The rows of a page of `five_ones_persons`: two queries, persons and their records."""
    ids = [entry["person"] for entry in entries]
    persons = Person.objects.select_related("area", "area__parent").in_bulk(ids)
    records: dict[int, dict[str, FiveOneRecord]] = {pk: {} for pk in ids}
    for record in FiveOneRecord.objects.standing().filter(person__in=ids, year=year).select_related("activity"):
        records[record.person_id][record.item] = record
    return [FiveOnesRow(persons[pk], records[pk]) for pk in ids if pk in persons]


@dataclass
class FiveOnesTown:
    """A town's five ones in a year: persons by how many they did, and each item's count."""

    town: str
    name: str
    by_done: list[int] = field(default_factory=lambda: [0] * 5)
    by_item: list[int] = field(default_factory=lambda: [0] * 5)

    @property
    def persons(self) -> int:
        return sum(self.by_done)

    @property
    def complete(self) -> int:
        return self.by_done[4]


def five_ones_towns(user, year: int) -> tuple[list[FiveOnesTown], FiveOnesTown]:
    """Per town of the user's scope: persons who did 1, 2 … 5 of the five in the year, and
    how many did each item. Two grouped queries."""
    records = five_ones_visible_to(user).filter(year=year)
    per_person = (
        records.annotate(town=Substr("area_code", 1, TOWN_DIGITS))
        .values("town", "person")
        .annotate(done=Count("id"))
        .order_by()
    )
    per_item = (
        records.annotate(town=Substr("area_code", 1, TOWN_DIGITS))
        .values("town", "item")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: dict[str, FiveOnesTown] = {}
    for entry in per_person:
        row = rows.setdefault(entry["town"], FiveOnesTown(entry["town"], ""))
        row.by_done[min(entry["done"], 5) - 1] += 1
    items = list(FiveOne.values)
    for entry in per_item:
        row = rows.setdefault(entry["town"], FiveOnesTown(entry["town"], ""))
        row.by_item[items.index(entry["item"])] += entry["n"]
    names = _town_names(rows)
    for code, row in rows.items():
        row.name = names.get(code + "000", code)
    ordered = [rows[code] for code in sorted(rows)]
    total = FiveOnesTown(
        "",
        "合计",
        by_done=[sum(r.by_done[i] for r in ordered) for i in range(5)],
        by_item=[sum(r.by_item[i] for r in ordered) for i in range(5)],
    )
    return ordered, total


# Associations ----------------------------------------------------------------------------


def associations_with_counts() -> QuerySet:
    """The five associations with their current members (all towns: a count)."""
    return Association.objects.annotate(
        members=Count("memberships", filter=Q(memberships__voided_at__isnull=True, memberships__left_on__isnull=True))
    ).order_by("order", "code")


def association_members(user, association: Association, *, names: bool = True) -> tuple[list[Membership], int]:
    """The current members the user may see, leaders first, and how many others there are
    (all of them, without `names`)."""
    current = Membership.objects.filter(CURRENT, association=association)
    if not names:
        return [], current.count()
    positions = list(Position.values)
    mine = sorted(
        current.visible_to(user).select_related("person", "person__area", "person__area__parent"),
        key=lambda m: (positions.index(m.position), m.person.area_id, m.person.name, m.pk),
    )
    hidden = current.exclude(pk__in=[m.pk for m in mine]).count()
    return mine, hidden


def centre_page_visible(user, activity: Activity) -> bool:
    """Whether `user` may open the page of the centre that organised `activity` (a town
    officer may not open a district centre's, though it ran an activity in their town)."""
    from care.models import Institution

    return bool(activity.centre_id) and Institution.objects.visible_to(user).filter(pk=activity.centre_id).exists()

"""Reading rehabilitation work: the scoped record list, a person's records and
assessments, and the yearly figures per town (person-times, persons served, and the
indicator: the share of persons assessed with a need who received a basic service)."""

from dataclasses import dataclass

from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from areas.models import Area, Level
from canlian.prefix import prefix_filter
from registry.models import Person
from registry.scoping import areas_visible_to
from rehab.models import (
    ChildRehabRecord,
    CoverageNeed,
    NeedAssessment,
    Provider,
    RehabItem,
    ServiceRecord,
    ServiceYear,
)

TOWN_DIGITS = 9  # significant digits of a town's code (440703002)
# The seed's indicator target (精准康复: 90% of persons with an assessed need served in the
# year) and yearly volume (at least 1,800 person-times). The targets app holds each year's
# figures once it exists; these are the defaults shown beside the measured values.
COVERAGE_TARGET_PERCENT = 90
PERSON_TIMES_TARGET = 1800


def records_visible_to(user) -> QuerySet:
    """The one visibility point for service records: given in the user's area and below
    (the record's `area_code`, the person's community on the day of the service)."""
    return ServiceRecord.objects.standing().visible_to(user)


def assessments_visible_to(user) -> QuerySet:
    return NeedAssessment.objects.visible_to(user)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecordFilterForm(forms.Form):
    town = forms.ChoiceField(label="镇(街)", required=False)
    item = forms.ModelChoiceField(
        label="康复项目", required=False, queryset=RehabItem.objects.none(), empty_label="全部"
    )
    date_from = forms.DateField(label="服务日期自", required=False, widget=DateInput())
    date_to = forms.DateField(label="至", required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        towns = areas_visible_to(user).filter(level=Level.TOWN).order_by("-is_active", "code")
        self.fields["town"].choices = [("", "全部"), *[(a.code, a.name) for a in towns]]
        self.fields["item"].queryset = RehabItem.objects.order_by("code")
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def filtered_records(request) -> tuple[QuerySet, RecordFilterForm]:
    """The records the user may see, filtered by the request's GET parameters, newest first.
    Invalid parameters are ignored (the form shows why), never widen the scope."""
    form = RecordFilterForm(request.GET or None, user=request.user)
    records = records_visible_to(request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("town"):
        records = records.filter(prefix_filter("area_code", data["town"][:TOWN_DIGITS]))
    if data.get("item"):
        records = records.filter(item=data["item"])
    if data.get("date_from"):
        records = records.filter(served_on__gte=data["date_from"])
    if data.get("date_to"):
        records = records.filter(served_on__lte=data["date_to"])
    return records.order_by("-served_on", "-id"), form


def with_display(records: QuerySet) -> QuerySet:
    """What a row of the list or the export shows, read in the same statement."""
    return records.select_related("person", "item", "provider", "recorded_by")


def area_names(areas: QuerySet) -> dict[str, tuple[str, str]]:
    """(town, community) names by community code of `areas` (retired ones included), read in
    one statement: the communities of a page, or of the user's jurisdiction for an export
    (never the whole tree, which nationally is ~700,000 codes)."""
    return {
        area.code: (area.parent.name if area.parent_id else "", area.name)
        for area in areas.filter(level=Level.COMMUNITY).select_related("parent")
    }


def person_records(person: Person, limit: int = 100) -> list[ServiceRecord]:
    """A person's standing records, newest first (the person page: the person is already in
    scope)."""
    records = person.rehab_records.standing().select_related("item", "provider", "recorded_by")
    return list(records.order_by("-served_on", "-id")[:limit])


def person_assessments(person: Person) -> list[NeedAssessment]:
    return list(person.rehab_assessments.select_related("assessed_by").order_by("-year"))


def active_items() -> QuerySet:
    return RehabItem.objects.filter(is_active=True).order_by("code")


def active_providers() -> QuerySet:
    return Provider.objects.filter(is_active=True).order_by("name")


@dataclass
class TownFigures:
    """One town's rehabilitation figures in a year."""

    town: str
    name: str
    person_times: int = 0
    persons_served: int = 0
    sessions: int = 0
    assessed_need: int = 0
    covered: int = 0

    @property
    def coverage_percent(self) -> float | None:
        """Persons assessed with a need who received at least one service in the year, in
        percent of those assessed (None when no one was assessed with a need)."""
        if not self.assessed_need:
            return None
        return round(100 * self.covered / self.assessed_need, 1)

    @property
    def meets_target(self) -> bool:
        return self.coverage_percent is not None and self.coverage_percent >= COVERAGE_TARGET_PERCENT


def service_years_visible_to(user) -> QuerySet:
    return ServiceYear.objects.visible_to(user)


def town_figures(user, year: int) -> tuple[list[TownFigures], TownFigures]:
    """Per town of the user's scope, the year's person-times (records), persons served,
    sessions, persons and children assessed with a need and, of them, those served at
    least once in the year (anywhere: a person who moved was still served); and the total.
    Read from the service years (one row per person served in a community in the year,
    kept by triggers on the records) and the assessments' (year, area), through the
    coverage view: at 10^5 persons ~0.15 s instead of ~0.85 s over the million records
    themselves (measured before the view; not measured since)."""
    town = Substr("area_code", 1, TOWN_DIGITS)
    served_years = service_years_visible_to(user).filter(year=year)
    served = (
        served_years.annotate(town=town)
        .values("town")
        .annotate(times=Sum("records"), persons=Count("person", distinct=True), sessions=Sum("sessions"))
    )
    # Persons and children (残疾儿童康复救助) assessed with a need: the coverage indicator's
    # rows (`CoverageNeed`), so the page's figure is the dashboard's.
    assessed = (
        CoverageNeed.objects.visible_to(user)
        .filter(year=year)
        .annotate(town=town)
        .values("town")
        .annotate(need=Count("subject", distinct=True), covered=Count("subject", distinct=True, filter=Q(served=True)))
    )
    rows: dict[str, TownFigures] = {}

    def row(code: str) -> TownFigures:
        if code not in rows:
            rows[code] = TownFigures(code, f"其他（{code}）")
        return rows[code]

    for entry in served:
        figures = row(entry["town"])
        figures.person_times, figures.sessions = entry["times"], entry["sessions"]
        figures.persons_served = entry["persons"]
    for entry in assessed:
        figures = row(entry["town"])
        figures.assessed_need, figures.covered = entry["need"], entry["covered"]
    towns = Area.objects.filter(level=Level.TOWN, code__in=[code + "000" for code in rows])
    for town in towns:
        rows[town.code[:TOWN_DIGITS]].name = town.name
    ordered = [rows[code] for code in sorted(rows)]
    total = TownFigures(
        "",
        "合计",
        person_times=sum(r.person_times for r in ordered),
        # A person served in two towns in the year counts in each town, once in the total.
        persons_served=served_years.values("person").distinct().count(),
        sessions=sum(r.sessions for r in ordered),
        assessed_need=sum(r.assessed_need for r in ordered),
        covered=sum(r.covered for r in ordered),
    )
    return ordered, total


def needs_unserved(user, year: int) -> QuerySet:
    """The year's assessments with a need, in the user's scope, whose person has received no
    service in the year anywhere: no basic service (their service years) and no child
    rehabilitation record of their linked child — the persons the coverage indicator
    (`rehab_coverageneed`) counts as not served. The work list's rehabilitation kind.

    The basic services are the assessment's `basic_served` mark (kept by triggers from the
    service years, rehab 0008), so the unserved are read from their partial index; the few
    of them are then looked up in the child records, a small table."""
    child_served = ChildRehabRecord.objects.standing().filter(child__person=OuterRef("person"), year=year)
    return (
        NeedAssessment.objects.visible_to(user)
        .filter(year=year, has_need=True, basic_served=False)
        .filter(~Exists(child_served))
    )

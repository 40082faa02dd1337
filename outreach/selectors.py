"""Reading outreach work: the scoped visit list and the open needs, a person's visits,
the photos a user may open, the figures per town. Every list starts from the model's
`visible_to` (the platform's scope: the record's `area_code`)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr

from accounts.models import User
from accounts.roles import Role
from areas.models import Area, Level
from canlian.prefix import prefix_filter
from canlian.scoping import user_area_prefix
from outreach.models import Campaign, CampaignDelivery, CampaignTarget, HomeVisit, NeedKind, VisitNeed, VisitPhoto
from registry.household_selectors import household_key
from registry.models import Person, Status
from registry.scoping import areas_visible_to

TOWN_DIGITS = 9
# How far ahead a follow-up visit or a watch contact is "due soon": on the work list, and
# the watch page's filter.
DUE_SOON_DAYS = 7


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def small_fields(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)


def town_choices(user) -> list[tuple[str, str]]:
    towns = areas_visible_to(user).filter(level=Level.TOWN).order_by("-is_active", "code")
    return [("", "全部"), *[(a.code, a.name) for a in towns]]


def community_choices(user) -> list[tuple[str, str]]:
    communities = areas_visible_to(user).filter(level=Level.COMMUNITY, is_active=True).select_related("parent")
    return [
        ("", "全部"),
        *[(a.code, f"{a.parent.name if a.parent_id else ''} {a.name}") for a in communities.order_by("code")],
    ]


def area_filter(queryset: QuerySet, field: str, data: dict) -> QuerySet:
    """The list narrowed to a town or a community the filter form chose (both inside the
    user's scope: the form offers only those, and the scope filter is already applied)."""
    if data.get("community"):
        return queryset.filter(**{field: data["community"]})
    if data.get("town"):
        return queryset.filter(prefix_filter(field, data["town"][:TOWN_DIGITS]))
    return queryset


def area_names(areas: QuerySet) -> dict[str, tuple[str, str]]:
    """(town, community) names by community code; a record filed under a town itself (a
    psychological case of a worker, who lives in no community of the registry) is (town,
    "—"), so no page shows a bare area code."""
    names = {}
    for area in areas.filter(level__in=(Level.TOWN, Level.COMMUNITY)).select_related("parent"):
        if area.level == Level.TOWN:
            names[area.code] = (area.name, "—")
        else:
            names[area.code] = (area.parent.name if area.parent_id else "", area.name)
    return names


# Visits -------------------------------------------------------------------------------


def visits_visible_to(user) -> QuerySet:
    return HomeVisit.objects.standing().visible_to(user)


class VisitFilterForm(forms.Form):
    town = forms.ChoiceField(label="镇(街)", required=False)
    need = forms.ChoiceField(label="发现需求", required=False, choices=[("", "全部"), *NeedKind.choices])
    date_from = forms.DateField(label="走访日期自", required=False, widget=DateInput())
    date_to = forms.DateField(label="至", required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = town_choices(user)
        small_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def filtered_visits(request) -> tuple[QuerySet, VisitFilterForm, dict]:
    form = VisitFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    visits = area_filter(visits_visible_to(request.user), "area_code", data)
    if data.get("need"):
        visits = visits.filter(need_items__kind=data["need"])
    if data.get("date_from"):
        visits = visits.filter(visited_on__gte=data["date_from"])
    if data.get("date_to"):
        visits = visits.filter(visited_on__lte=data["date_to"])
    return visits.order_by("-visited_on", "-id"), form, data


@dataclass(frozen=True)
class VisitSummary:
    visits: int
    households: int
    money: Decimal


def visit_summary(visits: QuerySet) -> VisitSummary:
    """Visits, households visited and money given over a filtered list. A household is the
    visited person's household (户), or the person alone when they have none, counted once
    however often visited."""
    figures = visits.order_by().aggregate(
        visits=Count("id"), households=Count(household_key(), distinct=True), money=Sum("money")
    )
    return VisitSummary(figures["visits"], figures["households"], figures["money"] or Decimal("0"))


def person_visits(person: Person, limit: int = 50) -> list[HomeVisit]:
    visits = person.outreach_visits.standing().prefetch_related("visitors", "need_items", "photos")
    return list(visits.select_related("recorded_by").order_by("-visited_on", "-id")[:limit])


def visit_for_user(user, pk: int) -> HomeVisit:
    """A visit (standing or voided) the user may see: one of their area (the town that
    visited keeps its work after the person moves), or one of a person they may see now
    (the new town reads the person's history). 404 otherwise."""
    from django.shortcuts import get_object_or_404

    persons = Person.objects.visible_to(user).values("pk")
    visits = HomeVisit.objects.filter(Q(pk__in=HomeVisit.objects.visible_to(user).values("pk")) | Q(person__in=persons))
    return get_object_or_404(visits.select_related("person", "recorded_by"), pk=pk)


def person_visible(user, person_id: int) -> bool:
    return Person.objects.visible_to(user).filter(pk=person_id).exists()


def photo_for_user(user, pk: int) -> VisitPhoto:
    """A photo is shown to whoever may see its visit's person, now: the person's scope, not
    the visit's (a person who moved is the new town's to see)."""
    from django.shortcuts import get_object_or_404

    persons = Person.objects.visible_to(user).values("pk")
    return get_object_or_404(VisitPhoto.objects.filter(visit__person__in=persons), pk=pk)


def follow_ups_due(user, until: datetime.date) -> QuerySet:
    """Standing visits whose follow-up day (下次跟进日期) is `until` or earlier and which no
    later standing visit of the person has followed yet (anywhere), of the active persons
    the user may see now: the work list's follow-up kind. Scoped by the person, not by the
    visit's own community: the town where the person lives now makes the next visit (it
    alone may record one), as it closes the needs that follow the person."""
    # Both checks are scalar subqueries, probed per due visit by its person (the later
    # visit first, the cheaper): written as `person__in` and NOT EXISTS, PostgreSQL
    # hash-joined the due visits against the whole scope's active persons (10^6, largest
    # town: 240,000 index entries for 1,007 lines, 124-312 ms; probed: 73-94 ms).
    later = (
        HomeVisit.objects.standing()
        .filter(person=OuterRef("person"), visited_on__gt=OuterRef("visited_on"))
        .order_by()
        .values("pk")[:1]
    )
    person = (
        Person.objects.visible_to(user)
        .filter(status=Status.ACTIVE, pk=OuterRef("person_id"))
        .order_by()
        .values("pk")[:1]
    )
    return (
        HomeVisit.objects.standing()
        .filter(follow_up_on__lte=until)
        .alias(follow_up_later=Subquery(later), follow_up_person=Subquery(person))
        .filter(follow_up_later__isnull=True, follow_up_person__isnull=False)
    )


def visitor_choices(user) -> QuerySet:
    """Who may be named as a visitor: the active staff of the user's area and below and of
    the district (a district officer goes along with the town's)."""
    prefix = user_area_prefix(user)
    district = Area.objects.filter(level=Level.DISTRICT).values_list("code", flat=True)
    roles = [Role.DISTRICT_ADMIN, Role.DISTRICT_REVIEWER, Role.TOWN_OFFICER, Role.LEADER]
    users = User.objects.filter(is_active=True, role__in=roles)
    local = users.filter(pk=user.pk) if prefix is None else users.filter(prefix_filter("area__code", prefix))
    return (local | users.filter(area_id__in=list(district))).order_by("area_id", "last_name", "first_name", "username")


# Needs --------------------------------------------------------------------------------


def needs_visible_to(user) -> QuerySet:
    return VisitNeed.objects.standing().visible_to(user)


def needs_open(user) -> QuerySet:
    """The standing needs still open in the user's scope: a need's community follows its
    person, so these are the needs of the persons of the user's area, wherever raised."""
    return needs_visible_to(user).filter(closed_on__isnull=True)


class NeedFilterForm(forms.Form):
    STATES = [("open", "未办结"), ("closed", "已办结"), ("all", "全部")]
    state = forms.ChoiceField(label="状态", required=False, choices=STATES)
    town = forms.ChoiceField(label="镇(街)", required=False)
    kind = forms.ChoiceField(label="需求类别", required=False, choices=[("", "全部"), *NeedKind.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = town_choices(user)
        small_fields(self)


def filtered_needs(request) -> tuple[QuerySet, NeedFilterForm]:
    form = NeedFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    needs = area_filter(needs_visible_to(request.user), "area_code", data)
    state = data.get("state") or "open"
    if state == "open":
        needs = needs.filter(closed_on__isnull=True)
    elif state == "closed":
        needs = needs.filter(closed_on__isnull=False)
    if data.get("kind"):
        needs = needs.filter(kind=data["kind"])
    return needs.select_related("person", "visit", "closed_by").order_by("raised_on", "id"), form


# Figures ------------------------------------------------------------------------------


@dataclass
class TownVisits:
    town: str
    name: str
    visits: int = 0
    households: int = 0
    money: Decimal = Decimal("0")
    open_needs: int = 0


def town_visit_figures(user, date_from: datetime.date, date_to: datetime.date) -> list[TownVisits]:
    """Per town of the user's scope: visits, households visited and money given in the
    period, and the needs still open now."""
    town = Substr("area_code", 1, TOWN_DIGITS)
    visits = (
        visits_visible_to(user)
        .filter(visited_on__gte=date_from, visited_on__lte=date_to)
        .annotate(town=town)
        .values("town")
        .annotate(visits=Count("id"), households=Count(household_key(), distinct=True), money=Sum("money"))
    )
    needs = needs_open(user).annotate(town=town).values("town")
    rows: dict[str, TownVisits] = {}
    for entry in visits.order_by():
        rows[entry["town"]] = TownVisits(
            entry["town"], entry["town"], entry["visits"], entry["households"], entry["money"] or Decimal("0")
        )
    for entry in needs.annotate(n=Count("id")).order_by():
        rows.setdefault(entry["town"], TownVisits(entry["town"], entry["town"])).open_needs = entry["n"]
    for area in Area.objects.filter(level=Level.TOWN, code__in=[code + "000" for code in rows]):
        rows[area.code[:TOWN_DIGITS]].name = area.name
    return [rows[code] for code in sorted(rows)]


# Campaigns ----------------------------------------------------------------------------


def campaign_for_user(user, pk: int) -> Campaign:
    """Campaigns are the district's: any user who may view campaigns opens one, and sees
    its counts and lists over their own scope only."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Campaign, pk=pk)


def delivered_to(campaign: Campaign) -> Exists:
    """Whether the target row's person has a standing delivery of the campaign."""
    return Exists(CampaignDelivery.objects.standing().filter(campaign=campaign, person=OuterRef("person")))


def targets_visible_to(user, campaign: Campaign) -> QuerySet:
    return CampaignTarget.objects.visible_to(user).filter(campaign=campaign)


@dataclass
class CampaignCount:
    code: str
    name: str
    targets: int = 0
    delivered: int = 0

    @property
    def remaining(self) -> int:
        return self.targets - self.delivered

    @property
    def share(self) -> Decimal | None:
        if not self.targets:
            return None
        return (Decimal(self.delivered) * 100 / Decimal(self.targets)).quantize(Decimal("0.1"))


def campaign_counts(user, campaign: Campaign, town: str = "") -> tuple[list[CampaignCount], CampaignCount]:
    """Targets and deliveries per town of the user's scope — or per community of `town`
    (a town's code, in scope), and the total: one grouped statement over the list."""
    targets = targets_visible_to(user, campaign)
    if town:
        targets = targets.filter(prefix_filter("area_code", town[:TOWN_DIGITS]))
        key = F("area_code")
    else:
        key = Substr("area_code", 1, TOWN_DIGITS)
    grouped = (
        targets.order_by()
        .annotate(key=key, done=delivered_to(campaign))
        .values("key")
        .annotate(targets=Count("id"), delivered=Count("id", filter=Q(done=True)))
    )
    rows = {g["key"]: CampaignCount(g["key"], g["key"], g["targets"], g["delivered"]) for g in grouped}
    codes = list(rows) if town else [code + "000" for code in rows]
    for area in Area.objects.filter(code__in=codes):
        rows[area.code if town else area.code[:TOWN_DIGITS]].name = area.name
    ordered = [rows[code] for code in sorted(rows)]
    total = CampaignCount("", "合计", sum(r.targets for r in ordered), sum(r.delivered for r in ordered))
    return ordered, total


class RemainingFilterForm(forms.Form):
    town = forms.ChoiceField(label="镇(街)", required=False)
    community = forms.ChoiceField(label="村(居)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = town_choices(user)
        self.fields["community"].choices = community_choices(user)
        small_fields(self)


def remaining_targets(request, campaign: Campaign) -> tuple[QuerySet, RemainingFilterForm, dict]:
    """The list's persons in the user's scope (and the chosen town or community) who have
    not received the campaign's gift, by community and name."""
    form = RemainingFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    targets = area_filter(targets_visible_to(request.user, campaign), "area_code", data)
    remaining = targets.filter(~delivered_to(campaign)).select_related("person")
    return remaining.order_by("area_code", "person__name", "person_id"), form, data


def recent_deliveries(user, campaign: Campaign, limit: int = 10) -> list[CampaignDelivery]:
    """What this user recorded last for the campaign, newest first (the fast entry page)."""
    deliveries = CampaignDelivery.objects.standing().visible_to(user).filter(campaign=campaign, recorded_by=user)
    return list(deliveries.select_related("person").order_by("-created_at", "-id")[:limit])

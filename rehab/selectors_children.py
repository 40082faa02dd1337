"""Child rehabilitation assistance (残疾儿童康复救助): what its pages and exports read. Every
list starts from the one visibility point of its model (`visible_to`: the child's
community, a prefix of the area code), so a town officer reads their town's children,
applications and records and nothing else."""

import datetime

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from areas.models import Level
from canlian.prefix import prefix_filter
from registry.identifiers import mask_id, mask_name, mask_phone
from registry.models import Person
from registry.scoping import areas_visible_to
from rehab.models_children import (
    AssistanceKind,
    Child,
    ChildApplication,
    ChildAssessment,
    ChildDisability,
    ChildRehabRecord,
    ChildRehabStandard,
    yuan,
)
from rehab.selectors import TOWN_DIGITS

State = ChildApplication.State


def children_visible_to(user) -> QuerySet:
    return Child.objects.visible_to(user)


def child_applications_visible_to(user) -> QuerySet:
    return ChildApplication.objects.visible_to(user)


def child_records_visible_to(user) -> QuerySet:
    return ChildRehabRecord.objects.standing().visible_to(user)


def registered_match() -> Exists:
    """A child not linked whose ID number a registered person has (可关联): a link the
    automatic one has not made (the person's ID number was corrected afterwards, or the
    person was written outside the services)."""
    return Exists(Person.objects.filter(id_number=OuterRef("id_number"))) & Q(person__isnull=True) & ~Q(id_number="")


def mask_birth_certificate(number: str) -> str:
    """R44*****56: the letter, the first two digits and the last two."""
    if len(number) < 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]


class ChildView:
    """A child as an officer is shown one: the identifiers masked (the ID number or the
    birth certificate number, the guardian's phone), never in full on a page or a file."""

    def __init__(self, child: Child) -> None:
        self.child = child

    def __getattr__(self, name):
        if name in {"id_number", "birth_certificate", "guardian_phone"}:
            raise AttributeError(f"ChildView shows {name} masked only: use its masked_ property")
        return getattr(self.child, name)

    @property
    def identifier(self) -> str:
        """The masked ID number, or the masked birth certificate number with its name."""
        if self.child.id_number:
            return mask_id(self.child.id_number)
        return f"出生医学证明 {mask_birth_certificate(self.child.birth_certificate)}"

    @property
    def has_id_number(self) -> bool:
        return bool(self.child.id_number)

    @property
    def masked_guardian_phone(self) -> str:
        return mask_phone(self.child.guardian_phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.child.name)

    def age_label(self, day: datetime.date | None = None) -> str:
        day = day or datetime.date.today()
        years = self.child.age_on(day)
        if years >= 1:
            return f"{years} 岁"
        months = (day.year - self.child.birth_date.year) * 12 + day.month - self.child.birth_date.month
        months -= day.day < self.child.birth_date.day
        return f"{max(months, 0)} 个月"


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)


def _towns(user) -> list[tuple[str, str]]:
    towns = areas_visible_to(user).filter(level=Level.TOWN).order_by("-is_active", "code")
    return [("", "全部"), *[(a.code, a.name) for a in towns]]


class ChildFilterForm(forms.Form):
    town = forms.ChoiceField(label="镇(街)", required=False)
    certified = forms.ChoiceField(
        label="持证情况",
        required=False,
        choices=[("", "全部"), ("yes", "已关联持证"), ("no", "未持证"), ("match", "可关联持证信息")],
    )
    disability = forms.ChoiceField(label="残疾类别", required=False)
    name = forms.CharField(label="姓名", required=False, max_length=40)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = _towns(user)
        self.fields["disability"].choices = [("", "全部"), *ChildDisability.choices]
        _styled(self)


def filtered_children(request) -> tuple[QuerySet, ChildFilterForm]:
    """The children the user may see, filtered by the request's GET parameters, by
    community and name; invalid parameters are ignored (the form shows why)."""
    form = ChildFilterForm(request.GET or None, user=request.user)
    children = children_visible_to(request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("town"):
        children = children.filter(prefix_filter("area__code", data["town"][:TOWN_DIGITS]))
    if data.get("certified") == "yes":
        children = children.filter(person__isnull=False)
    elif data.get("certified") == "no":
        children = children.filter(person__isnull=True)
    elif data.get("certified") == "match":
        children = children.filter(registered_match())
    if data.get("disability"):
        children = children.filter(disability=data["disability"])
    if data.get("name"):
        children = children.filter(name__startswith=data["name"].strip())
    return children.select_related("area__parent").order_by("area_id", "name", "id"), form


def child_list_rows(children: list[Child], year: int) -> list[dict]:
    """What a row of the children list shows besides the child: whether a registered person
    has the child's ID number (to link), and the year's applications (two queries)."""
    ids = [c.pk for c in children]
    numbers = [c.id_number for c in children if c.id_number and c.person_id is None]
    registered = set(Person.objects.filter(id_number__in=numbers).values_list("id_number", flat=True))
    applications: dict[int, list[ChildApplication]] = {}
    for application in ChildApplication.objects.filter(child_id__in=ids, year=year).order_by("kind", "-id"):
        applications.setdefault(application.child_id, []).append(application)
    return [
        {
            "child": ChildView(child),
            "matches": child.id_number in registered,
            "applications": applications.get(child.pk, []),
        }
        for child in children
    ]


class ApplicationFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    town = forms.ChoiceField(label="镇(街)", required=False)
    kind = forms.ChoiceField(label="救助类别", required=False, choices=[("", "全部"), *AssistanceKind.choices])
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *State.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = datetime.date.today().year
        self.fields["year"].choices = [("", "全部"), *[(y, y) for y in range(this_year, this_year - 6, -1)]]
        self.fields["town"].choices = _towns(user)
        _styled(self)


def filtered_child_applications(request) -> tuple[QuerySet, ApplicationFilterForm]:
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    applications = child_applications_visible_to(request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("year"):
        applications = applications.filter(year=data["year"])
    if data.get("town"):
        applications = applications.filter(prefix_filter("area_code", data["town"][:TOWN_DIGITS]))
    if data.get("kind"):
        applications = applications.filter(kind=data["kind"])
    if data.get("state"):
        applications = applications.filter(state=data["state"])
    ordered = applications.select_related("child__area__parent", "institution", "submitted_by")
    return ordered.order_by("-applied_on", "-id"), form


def child_assessments(child: Child) -> list[ChildAssessment]:
    return list(child.assessments.select_related("assessed_by").order_by("-year"))


def child_applications(child: Child) -> list[ChildApplication]:
    return list(child.applications.select_related("institution", "submitted_by", "decided_by").order_by("-applied_on"))


def application_records(application: ChildApplication) -> list[ChildRehabRecord]:
    """All of the application's records, voided ones too (shown struck through)."""
    return list(application.records.select_related("recorded_by", "voided_by").order_by("-served_on", "-id"))


def standing_spent_fen(application: ChildApplication) -> int:
    return sum(r.amount_fen for r in application.records.filter(voided_at__isnull=True))


def year_caps(child: Child, year: int) -> list[dict]:
    """The year's standard of each kind beside what the child's applications take of it."""
    from rehab.services_children import year_used_fen

    standards = {s.kind: s for s in ChildRehabStandard.objects.filter(year=year)}
    rows = []
    for kind, label in AssistanceKind.choices:
        standard = standards.get(kind)
        used = year_used_fen(child, kind, year)
        rows.append(
            {
                "label": label,
                "standard": standard,
                "used": yuan(used),
                "left": yuan(max(standard.cap_fen - used, 0)) if standard else "—",
                "cap": standard.cap_yuan if standard else "未设定",
                "max_age": standard.max_age if standard else None,
            }
        )
    return rows


def link_candidates(user, child: Child) -> list[Person]:
    """Registered persons the user may see whom the child may be: the same ID number, or
    for a child recorded by birth certificate the same name and birth date."""
    if child.person_id is not None:
        return []
    persons = Person.objects.visible_to(user)
    if child.id_number:
        persons = persons.filter(id_number=child.id_number)
    else:
        persons = persons.filter(name=child.name, birth_date=child.birth_date)
    return list(persons.select_related("area__parent").order_by("pk")[:10])


def designated_institutions() -> QuerySet:
    from rehab.models import Provider

    return Provider.objects.filter(is_active=True, serves_children=True).order_by("name")


def person_child(person: Person) -> Child | None:
    """The assistance child linked to a person (the person page's block)."""
    return Child.objects.filter(person=person).first()

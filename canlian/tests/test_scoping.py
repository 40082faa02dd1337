"""The scope mechanism: `visible_to` of every scoped model per role, a provider registered
at start-up widening it, the checks the services call, and the payroll's district-only
rule holding on the command line too."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_create
from benefits.grants import grant_batch_generate
from benefits.models import Application, Award, GrantProject, PaymentMonth, PayrollBatch, Scheme, Vehicle
from benefits.payroll import payroll_approve, payroll_generate, payroll_mark_exported
from canlian import scoping
from canlian.prefix import prefix_filter
from canlian.scoping import (
    NOTHING,
    OutOfScope,
    register_scope_provider,
    require_district,
    require_in_scope,
    scope_filter,
    scope_person_field,
    unregister_scope_provider,
)
from conftest import PASSWORD
from registry.models import Person, PersonCount
from rehab.models import NeedAssessment, Provider, RehabItem, ServiceRecord, ServiceYear
from targets.models import IndicatorValue, Target
from targets.services import targets_set

D = datetime.date
BAISHA, HETANG = "440703002", "440703102"
BOTH = {BAISHA, HETANG}
# The towns each user's `visible_to` reaches, on every scoped model.
TOWNS_SEEN = {
    "superuser": BOTH,
    "admin": BOTH,
    "reviewer": BOTH,
    "leader": BOTH,
    "officer": {BAISHA},
    "other_officer": {HETANG},
    "centre": set(),
}
SCOPED = [
    Person,
    PersonCount,
    Application,
    Award,
    PaymentMonth,
    Vehicle,
    GrantProject,
    ServiceRecord,
    NeedAssessment,
    ServiceYear,
    IndicatorValue,
    Target,
]


@pytest.fixture
def everyone(users, areas):
    made = dict(users)
    made["superuser"] = user_create(username="root", password=PASSWORD, role=Role.DISTRICT_ADMIN, area=None)
    made["superuser"].is_superuser = True
    made["superuser"].save()
    return made


def _records_of(person, town_code: str, admin, provider) -> None:
    """One row of every scoped model for `person` (registered in the town `town_code`)."""
    living, repair = Scheme.objects.get(code="living"), Scheme.objects.get(code="house_repair")
    application = Application.objects.create(
        person=person,
        scheme=repair,
        area_code=person.area_id,
        applied_on=D(2024, 3, 1),
        applicant=Application.Applicant.SELF,
        submitted_by=admin,
    )
    award = Award.objects.create(
        person=person, scheme=living, area_code=person.area_id, start_month=D(2024, 1, 1), source=Award.Source.IMPORT
    )
    batch, _ = PayrollBatch.objects.get_or_create(scheme=living, month=D(2024, 1, 1), defaults={"prepared_by": admin})
    PaymentMonth.objects.create(
        batch=batch,
        scheme=living,
        person=person,
        award=award,
        area_code=person.area_id,
        month=D(2024, 1, 1),
        amount_fen=1,
    )
    Vehicle.objects.create(person=person, plate=f"粤J{person.pk}", registered_on=D(2024, 1, 5))
    GrantProject.objects.create(
        application=application, kind="house_repair", description="修缮", budget_fen=100, created_by=admin
    )
    ServiceRecord.objects.create(
        person=person,
        area_code=person.area_id,
        item=RehabItem.objects.order_by("pk").first(),
        provider=provider,
        served_on=D(2024, 5, 1),
        recorded_by=admin,
    )
    NeedAssessment.objects.create(
        person=person, area_code=person.area_id, year=2024, has_need=True, assessed_on=D(2024, 4, 1), assessed_by=admin
    )
    IndicatorValue.objects.create(
        indicator="certified_persons",
        year=2024,
        month=0,
        area_code=f"{town_code}000",
        value=1,
        computed_at=timezone.now(),
    )
    Target.objects.create(year=2024, indicator="certified_persons", area_id=f"{town_code}000", value=1)


@pytest.fixture
def rows(everyone, areas, person, other_person):
    provider = Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"])
    _records_of(person, BAISHA, everyone["admin"], provider)
    _records_of(other_person, HETANG, everyone["admin"], provider)


def _towns(model, user) -> set[str]:
    return {code[:9] for code in model.objects.visible_to(user).values_list(model.scope_field, flat=True)}


# visible_to per role ----------------------------------------------------------------------


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_every_scoped_model_shows_each_role_its_own_towns(rows, everyone, model):
    seen = {key: _towns(model, everyone[key]) for key in TOWNS_SEEN}
    assert seen == TOWNS_SEEN


def test_visible_to_writes_the_person_filter_as_prefix_filter_does(everyone):
    """The person list's deferred join and index use were tuned on this exact SQL."""
    for key, prefix in [("officer", BAISHA), ("admin", "440703")]:
        expected = Person.objects.filter(prefix_filter("area__code", prefix))
        assert str(Person.objects.visible_to(everyone[key]).query) == str(expected.query)
    assert str(Person.objects.visible_to(everyone["superuser"]).query) == str(Person.objects.all().query)
    assert scope_filter(everyone["centre"], Person) == NOTHING


def test_an_anonymous_or_inactive_user_sees_nothing(everyone, person):
    from django.contrib.auth.models import AnonymousUser

    officer = everyone["officer"]
    officer.is_active = False
    assert not Person.objects.visible_to(AnonymousUser()).exists()
    assert not Person.objects.visible_to(officer).exists()


# A provider registered at start-up -----------------------------------------------------

MEMBERS: set[int] = set()


def centre_members(user, model):
    """What a care app would register: centre staff see the members of their centre."""
    path = scope_person_field(model)
    if user.role != Role.CENTRE_STAFF or path is None:
        return None
    return Q(**{f"{path}__in": sorted(MEMBERS)})


@pytest.fixture
def members():
    register_scope_provider(centre_members)
    yield MEMBERS
    unregister_scope_provider(centre_members)
    MEMBERS.clear()


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_a_registered_provider_widens_visible_to_for_the_users_it_serves(rows, everyone, other_person, members, model):
    members.add(other_person.pk)
    seen = {key: _towns(model, everyone[key]) for key in TOWNS_SEEN}
    # Records of a person follow the person; figures of an area belong to no member.
    centre = {HETANG} if scope_person_field(model) else set()
    assert seen == {**TOWNS_SEEN, "centre": centre}


def test_grants_of_several_providers_are_added_up(everyone, person, other_person, members):
    def extra(user, model):
        return Q(pk=other_person.pk) if model is Person and user.username in ("officer", "root") else None

    register_scope_provider(extra)
    try:
        assert set(Person.objects.visible_to(everyone["officer"])) == {person, other_person}
        # "Everything" stays everything when another provider grants a little.
        assert scope_filter(everyone["superuser"], Person) == Q()
    finally:
        unregister_scope_provider(extra)
    assert set(Person.objects.visible_to(everyone["officer"])) == {person}


def test_a_provider_registered_twice_counts_once(members):
    register_scope_provider(centre_members)
    assert scoping._providers.count(centre_members) == 1


def test_the_person_pages_of_centre_staff_follow_the_provider(login, everyone, person, other_person, members):
    members.add(other_person.pk)
    client = login(everyone["centre"])
    page = client.get(reverse("registry:person_list")).content.decode()
    # The counters know areas only: the total is counted from the rows the provider grants.
    assert "共 1 人" in page and other_person.name in page and person.name not in page
    assert client.get(reverse("registry:person_detail", args=[other_person.pk])).status_code == 200
    assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 404


# The checks inside the services -----------------------------------------------------------


def test_require_in_scope_takes_an_object_or_an_area_code(everyone, person, other_person, areas):
    officer = everyone["officer"]
    require_in_scope(officer, person)
    require_in_scope(officer, areas["baisha_b"].code)
    for outside in (other_person, areas["hetang_a"].code):
        with pytest.raises(OutOfScope, match="管辖范围"):
            require_in_scope(officer, outside)
    require_in_scope(everyone["superuser"], other_person)
    with pytest.raises(OutOfScope):
        require_in_scope(everyone["centre"], person)


def test_out_of_scope_answers_like_a_missing_object():
    assert issubclass(OutOfScope, Http404) and not issubclass(OutOfScope, PermissionDenied)


@pytest.mark.parametrize(
    "model", [Application, Award, PaymentMonth, Vehicle, GrantProject, ServiceRecord, NeedAssessment]
)
def test_require_in_scope_reads_each_models_area_in_memory(rows, everyone, model, django_assert_num_queries):
    officer = everyone["officer"]
    objects = list(model.objects.select_related(*_joins(model)).order_by(model.scope_field))
    inside = [o for o in objects if _towns_of(model, o) == BAISHA]
    outside = [o for o in objects if _towns_of(model, o) == HETANG]
    require_in_scope(officer, inside[0])  # reads the user's permissions and area once
    with django_assert_num_queries(0):
        require_in_scope(officer, inside[0])
        with pytest.raises(OutOfScope):
            require_in_scope(officer, outside[0])


def _joins(model) -> list[str]:
    parts = model.scope_field.split("__")[:-1]
    return ["__".join(parts)] if parts and model.scope_field != "area__code" else []


def _towns_of(model, obj) -> str:
    return model.objects.filter(pk=obj.pk).values_list(model.scope_field, flat=True).get()[:9]


def test_require_in_scope_asks_the_database_for_a_provider_s_grant(everyone, person, other_person, members):
    members.add(other_person.pk)
    require_in_scope(everyone["centre"], other_person)
    with pytest.raises(OutOfScope):
        require_in_scope(everyone["centre"], person)


def test_require_district_refuses_whoever_is_not_district_wide(everyone):
    for key in ("admin", "reviewer", "leader", "superuser"):
        require_district(everyone[key])
    for key in ("officer", "centre"):
        with pytest.raises(PermissionDenied, match="只有区级用户"):
            require_district(everyone[key])


# District-only actions, whoever calls them ----------------------------------------------


def _officer_with(users, *codenames):
    """The town officer given district permissions by mistake (as an admin could in the
    admin): only the district rule stands between them and the whole district."""
    officer = users["officer"]
    officer.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(officer).objects.get(pk=officer.pk)


def _command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_payroll_command_refuses_a_town_officer(users, person):
    _officer_with(users, "prepare_payroll")
    with pytest.raises(CommandError, match="发放批次覆盖全区，只有区级用户可以执行此操作"):
        _command("payroll", "--scheme", "living", "--month", "2021-03", "--user", "officer")
    assert not PayrollBatch.objects.exists()


def test_the_approve_payroll_command_refuses_a_town_officer(users, person):
    _command("payroll", "--scheme", "living", "--month", "2021-03", "--user", "admin")
    _officer_with(users, "approve_payroll")
    with pytest.raises(CommandError, match="只有区级用户"):
        _command("approve_payroll", "--scheme", "living", "--month", "2021-03", "--user", "officer")
    assert PayrollBatch.objects.get().state == PayrollBatch.State.DRAFT


def test_the_payroll_services_refuse_a_town_officer(users):
    officer = _officer_with(
        users, "prepare_payroll", "approve_payroll", "export_payroll", "change_target", "add_target"
    )
    living, fuel = Scheme.objects.get(code="living"), Scheme.objects.get(code="fuel")
    with pytest.raises(PermissionDenied, match="只有区级用户"):
        payroll_generate(scheme=living, month=D(2021, 3, 1), user=officer)
    with pytest.raises(PermissionDenied, match="只有区级用户"):
        grant_batch_generate(fuel, 2021, officer)
    batch = payroll_generate(scheme=living, month=D(2021, 3, 1), user=users["admin"])
    with pytest.raises(PermissionDenied, match="只有区级用户"):
        payroll_approve(batch=batch, user=officer)
    batch = payroll_approve(batch=batch, user=users["reviewer"])
    with pytest.raises(PermissionDenied, match="只有区级用户"):
        payroll_mark_exported(batch=batch, user=officer)
    assert PayrollBatch.objects.get(pk=batch.pk).state == PayrollBatch.State.APPROVED
    with pytest.raises(PermissionDenied, match="只有区级用户"):
        targets_set(user=officer, year=2024, values={("certified_persons", "440703002000"): 1})
    assert not Target.objects.exists()

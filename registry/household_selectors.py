"""Reading households: the scoped list, one household with its members, and which are
一户多残 (two or more active disabled persons in one household)."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from registry.models import FamilyMember, Household, HouseholdLog, Person, Status

# 一户多残: this many active disabled persons or more in one household.
MULTI_DISABLED = 2


def households_with_counts(user) -> QuerySet:
    """The households the user may see, each with `disabled` (its active disabled
    members) and `family` (its family members)."""
    return (
        Household.objects.visible_to(user)
        .select_related("area", "area__parent")
        .annotate(
            disabled=Count("members", filter=Q(members__status=Status.ACTIVE), distinct=True),
            family=Count("family_members", distinct=True),
        )
    )


def multi_disabled_households() -> QuerySet:
    """The ids of the 一户多残 households, as a subquery (one grouped scan of the members'
    household index)."""
    return (
        Person.objects.filter(status=Status.ACTIVE, household__isnull=False)
        .values("household")
        .annotate(n=Count("pk"))
        .filter(n__gte=MULTI_DISABLED)
        .values("household")
    )


def household_list(user, *, multi: bool = False, q: str = "") -> QuerySet:
    households = households_with_counts(user)
    if multi:
        households = households.filter(disabled__gte=MULTI_DISABLED)
    if q:
        households = households.filter(Q(number__startswith=q.upper()) | Q(address__contains=q))
    return households.order_by("area_id", "number")


def household_for_user(user, pk: int) -> Household:
    """The household if the user may see it; 404 otherwise, as for one that does not exist."""
    return get_object_or_404(households_with_counts(user), pk=pk)


def household_by_number(user, number: str) -> Household | None:
    """The household of this number among those the user may see (None: none, or another
    town's: scope does not leak)."""
    return Household.objects.visible_to(user).filter(number=number).first()


def household_members(household: Household) -> list[Person]:
    return list(household.members.select_related("area").order_by("status", "name", "pk"))


def household_family(household: Household) -> list[FamilyMember]:
    return list(household.family_members.order_by("pk"))


def household_logs(household: Household, limit: int = 50) -> list[HouseholdLog]:
    return list(household.logs.select_related("person", "created_by")[:limit])


def is_multi_disabled(household: Household | None) -> bool:
    if household is None:
        return False
    disabled = getattr(household, "disabled", None)
    if disabled is None:
        disabled = household.members.filter(status=Status.ACTIVE).count()
    return disabled >= MULTI_DISABLED


def family_member_for_user(user, household: Household, pk: int) -> FamilyMember:
    return get_object_or_404(FamilyMember.objects.visible_to(user), household=household, pk=pk)


def household_key(person: str = "person"):
    """An expression that names a record's household: the household's id when the
    record's person (`person`, the path to the Person) has one, else minus the person's id
    — a person without a household is a household of their own. `Count(household_key(),
    distinct=True)` counts households, not persons."""
    from django.db.models import BigIntegerField, F
    from django.db.models.functions import Coalesce

    return Coalesce(F(f"{person}__household_id"), -F(f"{person}_id"), output_field=BigIntegerField())


def household_provider(user, model):
    """The households of the persons another scope provider grants the user (centre staff
    see their members' households and family members: the guardian and carer they deal
    with). A user with an area needs none: a household's community is its members'."""
    from canlian.scoping import user_area_prefix

    if model not in (Household, FamilyMember) or user_area_prefix(user) is not None:
        return None
    households = Person.objects.visible_to(user).filter(household__isnull=False).values("household_id")
    return Q(pk__in=households) if model is Household else Q(household__in=households)

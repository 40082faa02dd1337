"""Jurisdiction as one mechanism: which rows of a scoped model a user may see, and the
checks a service runs before it writes.

A scoped model declares where its area code lives (`scope_field`, a lookup path such as
"area_code", "area__code" or "person__area__code") and, when each row belongs to one person,
the path to that person (`scope_person_field`: "pk" on `Person` itself, "person" on a
record); its manager comes from `ScopedQuerySet`. `Model.objects.visible_to(user)` is then
the OR of what the registered scope providers grant the user on that model:

- the area provider (built in): the user's area and below, a prefix of the area code
  written by `canlian.prefix.prefix_filter`, so the indexes seek to it;
- any provider an app registers at start-up (`register_scope_provider`, from its
  `AppConfig.ready`), e.g. centre membership: centre staff see the members of their own
  centre, without an edit of the registry.

A provider is `provider(user, model) -> Q | None`: None when it grants this user nothing on
this model, `Q()` when it grants everything. The services call `require_in_scope` (an
object or an area code outside the scope is `OutOfScope`, answered 404 like one that does
not exist) and `require_district` (an action over the whole district), so pages,
management commands and the API pass the same checks.
"""

import functools
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404

from accounts.roles import Role
from canlian.prefix import prefix_filter

NOTHING = Q(pk__in=[])
DISTRICT_ONLY = "此操作覆盖全区，只有区级用户可以执行"

ScopeProvider = Callable[[object, type[models.Model]], Q | None]


class OutOfScope(Http404):
    """An object or area outside the user's jurisdiction: the same answer as one that does
    not exist, so scope never leaks existence (a view that does not catch it answers 404)."""

    def __init__(self, message: str = "记录不存在，或不在您的管辖范围内") -> None:
        super().__init__(message)


# The user's area ------------------------------------------------------------------------


def user_area_prefix(user) -> str | None:
    """The code prefix of the user's jurisdiction, "" for everything, None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if user.role == Role.CENTRE_STAFF:
        # Centre staff see the members of their centre only, which the area does not say:
        # a centre-membership provider (the care app's) grants them their members.
        return None
    if user.area_id is None or not user.has_perm("registry.view_person"):
        return None
    return user.area.prefix


def is_district_user(user) -> bool:
    """Whose jurisdiction is the whole district (or everything)."""
    from areas.models import Level

    prefix = user_area_prefix(user)
    return prefix == "" or (prefix is not None and user.area.level == Level.DISTRICT)


def area_scope_filter(user, field: str) -> Q:
    """The area provider's filter over `field` alone, NOTHING for a user without an area."""
    prefix = user_area_prefix(user)
    return NOTHING if prefix is None else prefix_filter(field, prefix)


# Providers ------------------------------------------------------------------------------

_providers: list[ScopeProvider] = []


def register_scope_provider(provider: ScopeProvider) -> ScopeProvider:
    """Add a provider to every scoped model's `visible_to` (once, however often called);
    usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_scope_provider(provider: ScopeProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def scope_field(model: type[models.Model]) -> str:
    try:
        return model.scope_field
    except AttributeError:
        raise ImproperlyConfigured(f"{model.__name__} is scoped but declares no scope_field") from None


def scope_person_field(model: type[models.Model]) -> str | None:
    """The lookup path from `model` to the person its rows belong to; None when they belong
    to no one person (figures per area)."""
    return getattr(model, "scope_person_field", None)


@register_scope_provider
def area_provider(user, model: type[models.Model]) -> Q | None:
    """The user's area and below, over the model's area code."""
    prefix = user_area_prefix(user)
    return None if prefix is None else prefix_filter(scope_field(model), prefix)


def scope_filter(user, model: type[models.Model]) -> Q:
    """What the providers grant `user` on `model`, OR-ed; NOTHING when none grants anything.
    A single grant is returned as its provider wrote it, so the area provider's filter
    reaches the SQL unchanged (the person list's index use depends on it). No provider is
    asked about an anonymous or deactivated user: they see nothing."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    grants = [grant for provider in _providers if (grant := provider(user, model)) is not None]
    if not grants:
        return NOTHING
    if any(not grant for grant in grants):
        # Q() is "everything"; Q() | X would be X alone.
        return Q()
    combined = grants[0]
    for grant in grants[1:]:
        combined |= grant
    return combined


def scoped_by_area_alone(user, model: type[models.Model]) -> bool:
    """Whether the user sees of `model` exactly their area and below, so that figures kept
    per area (the person counters, the indicator values) count what `visible_to` lists."""
    return scope_filter(user, model) == area_scope_filter(user, scope_field(model))


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScopedQuerySet":
        """The one visibility point of a scoped model: pages, exports, search and the API
        all start here."""
        return self.filter(scope_filter(user, self.model))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


# Checks inside the services -------------------------------------------------------------


def _area_code_of(obj: models.Model) -> str:
    """The area code at the end of the object's `scope_field`, read without a query where
    the path ends in a foreign key to the area (`area__code` is `area_id`)."""
    value, parts = obj, scope_field(type(obj)).split("__")
    while len(parts) > 1:
        field = value._meta.get_field(parts[0])
        if len(parts) == 2 and field.many_to_one and field.target_field.name == parts[1]:
            return getattr(value, field.attname)
        value, parts = getattr(value, parts[0]), parts[1:]
    return getattr(value, parts[0])


def in_scope(user, target: models.Model | str) -> bool:
    """Whether `target` — a scoped object, or an area code — lies in the user's scope. The
    area is checked in memory; only an object outside it, when another provider grants
    something on its model, is looked up."""
    code = target if isinstance(target, str) else _area_code_of(target)
    prefix = user_area_prefix(user)
    if prefix is not None and code.startswith(prefix):
        return True
    if isinstance(target, str):
        return False
    model = type(target)
    if scoped_by_area_alone(user, model):
        return False
    return model._default_manager.filter(scope_filter(user, model), pk=target.pk).exists()


def require_in_scope(user, target: models.Model | str) -> None:
    """Raise `OutOfScope` unless `target` (a scoped object, or an area code) is in scope."""
    if not in_scope(user, target):
        raise OutOfScope()


def require_district(user, message: str = DISTRICT_ONLY) -> None:
    """Raise PermissionDenied unless the user's jurisdiction is the whole district: for
    actions over every town at once (payroll batches, the year's targets)."""
    if not is_district_user(user):
        raise PermissionDenied(message)


# The re-check after a write --------------------------------------------------------------


def require_written_in_scope(user, written) -> None:
    """Raise `OutOfScope` unless each scoped object of `written` (an object, or a list or
    tuple of them; anything else is passed over), read again from the database, is in the
    user's scope. Called after the write and before the commit, it checks what the write
    left — the area a person was moved to, the area a record took from its person, what a
    signal receiver changed — not what the caller meant: NetBox's re-check of a saved
    object. A write the caller made outside their scope then raises inside the service's
    transaction, and nothing of it is kept."""
    if user is None:
        return  # a command run without a user: nobody's scope to keep to
    objects = written if isinstance(written, list | tuple) else [written]
    for obj in objects:
        if not isinstance(obj, models.Model) or obj.pk is None or not hasattr(type(obj), "scope_field"):
            continue
        fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
        if fresh is not None:
            require_in_scope(user, fresh)


def scope_rechecked(service: Callable) -> Callable:
    """A service (called with `user=`) that runs in one transaction and whose result — the
    object or objects it wrote — is re-checked against the user's scope once it has
    written, before the commit (`require_written_in_scope`): an edit that moves a person,
    a record or an application to another town is refused for an officer of the first,
    and nothing is written. The services' own checks before the write stay: they answer
    early and keep the row locked; this one is the platform's guarantee after it."""

    @functools.wraps(service)
    def rechecked(*args, **kwargs):
        with transaction.atomic():
            written = service(*args, **kwargs)
            require_written_in_scope(kwargs.get("user"), written)
        return written

    rechecked.scope_rechecked = True
    return rechecked

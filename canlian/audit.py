"""The audit log: `audit_write` and the registry of the actions it knows.

Each app registers its actions (`actions_register`, in its AppConfig.ready) with the
Chinese label the audit page shows; an action is namespaced by its app
(`benefits.batch.approved`). The services call `audit_write` inside their own
transaction, so an entry is written exactly when the change it records commits.
"""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import models

from canlian.models import AuditEntry

# The address of the client whose request is being answered (`ClientAddressMiddleware`):
# every entry written while answering it keeps it; a command or a worker's job has none.
_client_address: ContextVar[str | None] = ContextVar("canlian_client_address", default=None)

# action -> its Chinese label, filled by every app at start-up.
ACTIONS: dict[str, str] = {}


def actions_register(actions: dict[str, str]) -> None:
    """Register actions with their Chinese labels. An app's import (`<app>.import`) brings
    the endings its jobs are audited under (`canlian.jobs`) unless the app names them: a
    refused or failed job of an app that forgot them would otherwise fail to write."""
    for action, label in actions.items():
        if action.endswith(".import"):
            ACTIONS.setdefault(f"{action}.refused", f"{label}：文件被拒绝")
            ACTIONS.setdefault(f"{action}.failed", f"{label}失败")
    ACTIONS.update(actions)


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or the first address of X-Forwarded-For when
    the proxy in front is trusted to set it (`TRUSTED_PROXY`; a client could write any
    address there otherwise). None when it is not an address."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        address = forwarded or address
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def client_address_now() -> str | None:
    """The address of the client whose request is being answered; None outside one."""
    return _client_address.get()


@contextmanager
def client_address_kept(address: str | None) -> Iterator[None]:
    """The entries written inside are `address`'s: work a page started that a worker does
    later (an import's job) is logged with the address of the request that started it."""
    token = _client_address.set(address)
    try:
        yield
    finally:
        _client_address.reset(token)


class ClientAddressMiddleware:
    """Keeps the request's client address for the audit entries its answer writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


def persons_digest(person_ids: Iterable[int]) -> str:
    """The SHA-256 (hex) of the distinct person ids, sorted, one a line: which persons an
    export held, kept in the log without the list itself — the same persons give the same
    digest, so an auditor can tell whether two exports held the same people, or check a
    suspect file's persons against the log."""
    text = "\n".join(str(pk) for pk in sorted(set(person_ids)))
    return hashlib.sha256(text.encode()).hexdigest()


def _person_id(obj, person) -> int | None:
    if person is not None:
        return person if isinstance(person, int) else person.pk
    if obj is None:
        return None
    if obj._meta.label == "registry.Person":
        return obj.pk
    # Awards, vehicles, records: objects of one person name them by `person_id`.
    return getattr(obj, "person_id", None)


def audit_write(
    *, action: str, user, obj: models.Model | None = None, person=None, data: dict | None = None
) -> AuditEntry:
    """Record `action` by `user` (None: a command run without one) on `obj`, about `person`
    (a Person or its pk; by default the object's own person), with `data` (JSON: dates and
    decimals become text)."""
    if action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}: register it with canlian.audit.actions_register")
    return AuditEntry.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        person_id=_person_id(obj, person),
        data=data or {},
        ip_address=_client_address.get(),
    )

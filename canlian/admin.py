"""Admin pieces shared by the apps, and the read-only admins of the audit log and the jobs."""

import json
import re
from collections.abc import Callable

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from canlian.models import AuditEntry, Job


class ReadOnlyMixin:
    """An admin that shows records and never adds, changes or deletes them: persons, events,
    money and the audit log change only through the services, which check and log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "content_type", "object_id", "person_id", "ip_address"]
    list_filter = ["action"]
    raw_id_fields = ["user"]


@admin.register(Job)
class JobAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "state", "processed", "total", "created_by"]
    list_filter = ["kind", "state"]


# Identifiers masked in every admin ------------------------------------------------------

# A field holding an identifier, by the end of its name, and its masked form. The person's
# admin (registry) shows them in full to a user who may reveal them, each open logged; every
# other admin shows them masked to everyone (`identifiers_mask`), as the pages do.
_MASK_BY_SUFFIX = {
    "id_number": "mask_id",
    "birth_certificate": "mask_id",
    "certificate_number": "mask_certificate",
    "phone": "mask_phone",
    "bank_account": "mask_account",
}
# The identifiers in a text (a job's report, an audit entry's data): an ID number, a
# certificate number (an ID number and its category, grade and suffix), a mobile number, a
# bank account.
_ID_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])((?:[1-7][1-4](?:[A-Za-z0-9]{1,2})?)?)(?![0-9A-Za-z])"
)
_ACCOUNT_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{16,19})(?![0-9])")
_PHONE_IN_TEXT = re.compile(r"(?<![0-9])(1[3-9][0-9]{9})(?![0-9])")


def _mask(kind: str, value: str) -> str:
    from registry import identifiers, presenters

    mask = getattr(presenters, kind, None) or getattr(identifiers, kind)
    return mask(value)


def identifier_mask_of(field_name: str) -> str | None:
    """The mask (its name) of a field that holds an identifier, by its name; None for the
    others."""
    return next((mask for suffix, mask in _MASK_BY_SUFFIX.items() if field_name.endswith(suffix)), None)


def text_masked(text: str) -> str:
    """`text` with every ID number, certificate number, mobile number and bank account in it
    masked (the JSON of a job's report or an audit entry's data, which hold the cells of
    an import's rejected rows and the filters of an export)."""
    from registry.identifiers import mask_account, mask_id, mask_phone

    text = _ID_IN_TEXT.sub(lambda m: mask_id(m[1]) + m[2], text)
    text = _PHONE_IN_TEXT.sub(lambda m: mask_phone(m[1]), text)
    return _ACCOUNT_IN_TEXT.sub(lambda m: mask_account(m[1]), text)


def _masked_display(field: models.Field, mask: str | None) -> Callable:
    def show(model_admin, obj) -> str:
        value = field.value_from_object(obj)
        if value in (None, ""):
            return "-"
        if mask:
            return _mask(mask, str(value))
        shown = json.dumps(value, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
        return text_masked(shown if isinstance(field, models.JSONField) else str(value))

    show.short_description = field.verbose_name
    return show


def masked_fields(model: type[models.Model]) -> dict[str, str | None]:
    """The fields of `model` an admin shows masked: those holding an identifier (with their
    mask), and the JSON and long texts that may hold some (masked where they do)."""
    found = {}
    for field in model._meta.concrete_fields:
        mask = identifier_mask_of(field.name)
        if mask and isinstance(field, models.CharField):
            found[field.name] = mask
        elif isinstance(field, models.JSONField | models.TextField):
            found[field.name] = None
    return found


class MaskedIdentifiersMixin:
    """An admin whose lists, detail pages and searches show no identifier in full: each
    field named like one (`masked_fields`) is shown masked, read-only, and not searched (a
    part of a number would list every row holding it); a JSON or long text is masked where
    it holds one, on a page that only shows it. Mixed into every registered admin by
    `identifiers_mask`, not written into each."""

    def _masked(self) -> dict[str, str | None]:
        return masked_fields(self.model)

    def _display_name(self, name: str) -> str:
        return f"{name}__masked"

    def _install(self, names) -> None:
        for name in names:
            attr = self._display_name(name)
            if not hasattr(self, attr):
                field = self.model._meta.get_field(name)
                setattr(type(self), attr, _masked_display(field, self._masked()[name]))

    def _editable(self, request, obj) -> bool:
        return self.has_change_permission(request, obj) or (obj is None and self.has_add_permission(request))

    def _displays(self, request, obj, *, all_texts: bool = False) -> dict[str, str]:
        """The fields to show masked, by the name of their display: the identifiers
        always, the texts on a page that only shows them (an editable one keeps them in its
        form)."""
        texts = all_texts or not self._editable(request, obj)
        names = [name for name, mask in self._masked().items() if mask or texts]
        self._install(names)
        return {name: self._display_name(name) for name in names}

    @staticmethod
    def _swapped(names, displays: dict[str, str]) -> list:
        swapped = []
        for name in names:
            shown = displays.get(name, name) if isinstance(name, str) else name
            if shown not in swapped:
                swapped.append(shown)
        return swapped

    def get_list_display(self, request):
        return self._swapped(super().get_list_display(request), self._displays(request, None, all_texts=True))

    def get_fieldsets(self, request, obj=None):
        displays = self._displays(request, obj)
        return [
            (title, {**options, "fields": self._swapped(options.get("fields", ()), displays)})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        displays = self._displays(request, obj)
        readonly = self._swapped(super().get_readonly_fields(request, obj), displays)
        return [*readonly, *(shown for shown in displays.values() if shown not in readonly)]

    def get_search_fields(self, request):
        masked = {name for name, mask in self._masked().items() if mask}
        return [name for name in super().get_search_fields(request) if name.lstrip("^=@").split("__")[0] not in masked]


def identifiers_mask(site: admin.AdminSite | None = None) -> list[str]:
    """Mix `MaskedIdentifiersMixin` into every admin of `site` whose model has fields to
    mask, unless it masks them itself (`masks_identifiers = True`, the person's admin, which
    reveals to who may, logged). Run once all the admins are registered (the platform's
    `ready`); returns the models' labels it masked."""
    site = site or admin.site
    done = []
    for model, model_admin in site._registry.items():
        cls = type(model_admin)
        if getattr(cls, "masks_identifiers", False) or isinstance(model_admin, MaskedIdentifiersMixin):
            continue
        if not masked_fields(model):
            continue
        model_admin.__class__ = type(cls.__name__, (MaskedIdentifiersMixin, cls), {"__module__": cls.__module__})
        done.append(model._meta.label)
    return done

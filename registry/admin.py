"""Persons are read-only here: registering and editing go through the pages and their
services, which check jurisdiction and record dated events; the admin shows the field
history for the district administrator.

Identifiers follow the pages' rule: masked by default, full only as a logged reveal. A
user who may reveal them asks for them on a person's form or a past version of it (the
link 显示完整证件号, `?reveal=1`), and each such open is logged; anyone else sees them
masked. The history's list of changes shows them masked to
everyone, and an ID or certificate number finds a person only when given in full, logged.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts.models import AccessLog
from accounts.services import access_log_write
from canlian.admin import ReadOnlyMixin
from canlian.params import ascii_digits
from registry import services
from registry.identifiers import normalize
from registry.models import ChangeRequest, Person, PersonEvent
from registry.presenters import IDENTIFIER_MASKS

_PERSON_FIELDS = [f.name for f in Person._meta.concrete_fields if not f.primary_key]


def _may_reveal(request) -> bool:
    return request.user.has_perm("registry.reveal_identifiers")


def _sees_identifiers(request) -> bool:
    """Full identifiers only when asked for (`?reveal=1`, the form's link) by a user who
    may reveal them: a page opened is masked, as the pages' are."""
    return _may_reveal(request) and request.GET.get("reveal") == "1"


def _masked(field: str):
    mask = IDENTIFIER_MASKS[field]

    @admin.display(description=Person._meta.get_field(field).verbose_name)
    def show(self, person) -> str:
        value = getattr(person, field)
        return mask(value) if value else ""

    return show


class _MaskedChanges(HistoricalRecordContextHelper):
    """The history's old → new values, with the identifiers masked."""

    def prepare_delta_change_value(self, change, value):
        mask = IDENTIFIER_MASKS.get(change.field)
        if mask and isinstance(value, str) and value:
            return mask(value)
        return super().prepare_delta_change_value(change, value)


@admin.register(Person)
class PersonAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    # Masked here, and revealed (logged) to a user who may: not by the platform's mixin.
    masks_identifiers = True
    list_display = ["name", "area", "category", "grade", "economic_status", "status"]
    list_filter = ["category", "grade", "status", "economic_status"]
    # A name here; a number is searched in full only (get_search_results): a part of one
    # would list everyone whose number contains it.
    search_fields = ["name"]
    raw_id_fields = ["area"]

    id_number_masked = _masked("id_number")
    certificate_number_masked = _masked("certificate_number")
    phone_masked = _masked("phone")
    guardian_phone_masked = _masked("guardian_phone")
    bank_account_masked = _masked("bank_account")

    @admin.display(description="完整证件号")
    def reveal_link(self, person) -> str:
        return mark_safe('<a href="?reveal=1">显示完整证件号（将记入审计日志）</a>')  # noqa: S308 - a constant

    def get_fields(self, request, obj=None):
        if _sees_identifiers(request):
            return list(_PERSON_FIELDS)
        masked = [f"{name}_masked" if name in IDENTIFIER_MASKS else name for name in _PERSON_FIELDS]
        return [*masked, "reveal_link"] if obj is not None and _may_reveal(request) else masked

    def get_readonly_fields(self, request, obj=None):
        # All of them, so that a past version's form (simple-history's) is a display too.
        return self.get_fields(request, obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return _MaskedChanges(self.model, historical_record)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_reveal(request, response, object_id, page="admin")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log_reveal(request, response, object_id, page="admin_history", version=version_id)
        return response

    def _log_reveal(self, request, response, object_id, **where) -> None:
        if request.method != "GET" or response.status_code != 200 or not _sees_identifiers(request):
            return
        person = self.get_object(request, unquote(object_id))
        if person is not None:
            services.person_reveal(user=request.user, person=person, **where)

    def get_search_results(self, request, queryset, search_term):
        number = normalize(search_term)
        if not (len(number) >= 18 and ascii_digits(number[:17])):
            return super().get_search_results(request, queryset, search_term)
        # An exact match on the unique numbers (their indexes), which joins a full number to
        # a name: the same as a reveal.
        found = queryset.filter(Q(id_number=number) | Q(certificate_number=number))
        for person in found:
            access_log_write(user=request.user, action=AccessLog.Action.REVEAL, person=person, page="admin_search")
        return found, False


@admin.register(PersonEvent)
class PersonEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "kind", "date", "old_label", "new_label", "source"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]
    # The detail page too names the values as users do (三级, 低保), never the stored codes.
    fields = ["person", "kind", "date", "old_label", "new_label", "reason", "source", "created_by", "created_at"]
    readonly_fields = fields

    @admin.display(description="原值")
    def old_label(self, event):
        return event.old_value_label

    @admin.display(description="新值")
    def new_label(self, event):
        return event.new_value_label


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The change requests for the district administrator to look up; asked and decided on
    the pages (`registry.changes`), which check scope and the four eyes. The old and new
    values are JSON, masked by the platform's mixin where they hold an account or a phone;
    the evidence is opened on the request's page (scoped, not the media file's URL)."""

    list_display = ["person", "field", "state", "requested_by", "requested_on", "decided_by", "decided_at"]
    list_filter = ["state", "field"]
    raw_id_fields = ["person"]
    # A name finds a request; an identifier is never searched (a part of one would list them all).
    search_fields = ["person__name"]
    fields = [
        "person",
        "field",
        "state",
        "old_value",
        "new_value",
        "effective_on",
        "reason",
        "evidence_page",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    readonly_fields = fields

    @admin.display(description="证明材料")
    def evidence_page(self, item):
        url = reverse("registry:change_request_detail", args=[item.pk])
        return format_html('<a href="{}">{}（在申请页面查看）</a>', url, item.evidence_name)

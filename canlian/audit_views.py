"""The audit log's pages: the list for the district and audit administrators, and its
export. Both need `canlian.view_auditentry`; without it the answer is 403."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from canlian.audit_exports import AuditExporter, entry_cells
from canlian.audit_selectors import filtered_entries, with_display
from canlian.exporting import export_response
from canlian.pagination import DeferredJoinPaginator

PAGE_SIZE = 50


@require_GET
@permission_required("canlian.view_auditentry", raise_exception=True)
def entry_list(request):
    entries, form = filtered_entries(request.GET)
    page = DeferredJoinPaginator(with_display(entries), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [{"entry": entry, "cells": entry_cells(entry)} for entry in page.object_list],
        "query": params.urlencode(),
    }
    template = "canlian/_audit_table.html" if request.htmx else "canlian/audit_list.html"
    return render(request, template, context)


@require_GET
@permission_required("canlian.view_auditentry", raise_exception=True)
def entry_export(request):
    """The filtered list as a workbook; the export is itself an entry, with its filter."""
    return export_response(request, AuditExporter.for_request(request), log_action="canlian.export")

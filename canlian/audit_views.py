"""The audit log's pages: the list for the district and audit administrators, and its
export. Both need `canlian.view_auditentry`; without it the answer is 403."""

import tempfile

from django.contrib.auth.decorators import permission_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from canlian.audit import audit_write
from canlian.audit_exports import entries_write, entry_cells
from canlian.audit_selectors import filtered_entries, with_display
from canlian.pagination import DeferredJoinPaginator
from canlian.workbooks import XLSX

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
    entries, _form = filtered_entries(request.GET)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    count = entries_write(with_display(entries), handle)
    handle.seek(0)
    audit_write(action="canlian.export", user=request.user, data={"filters": dict(request.GET.items()), "rows": count})
    stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"审计日志_{stamp}.xlsx", content_type=XLSX)

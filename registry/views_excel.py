"""The export of the current filtered list of persons. (The import pages are the framework's:
`canlian.import_views`, declared in `registry.urls`.)"""

from django.contrib.auth.decorators import permission_required
from django.views.decorators.http import require_GET

from canlian.exporting import export_response
from registry import excel


@require_GET
@permission_required("registry.export_persons", raise_exception=True)
def person_export(request):
    """The current filtered list (same filters as the list page) in the template's columns.
    Full identifiers only on request (reveal=1) and with the reveal permission; logged."""
    return export_response(request, excel.PersonExporter.for_request(request))

"""Eligibility pages (资格比对): for a scheme and a month, who is eligible (符合条件), who
is eligible but has no award (应享未享), and who has an award but is not eligible
(不应享而享, with why). Counts per town on top; each list paginated and exportable.

Thin: the filter, the lists and their counts are `benefits.selectors_eligibility`'s, the
export `benefits.exports.EligibilityExporter`'s (a long list runs as a background job).
"""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from benefits import exports
from benefits import selectors_eligibility as lists
from canlian.exporting import export_response
from registry.presenters import PersonView
from registry.scoping import Privacy

PAGE_SIZE = 50


@require_GET
@permission_required("benefits.view_eligibility", raise_exception=True)
def eligibility(request):
    found = lists.eligibility_filter(request.user, request.GET)
    query = found.query
    context = {"form": found.form, "query": query, "lists": lists.LISTS}
    if query is None:
        return render(request, "benefits/eligibility_list.html", context)
    privacy = Privacy.for_user(request.user)
    counts, total = lists.eligibility_counts(query, lists.eligibility_scope(request.user))
    page = Paginator(lists.eligibility_rows(query, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = lists.eligibility_reasons(query)
    page.object_list = [
        {
            "person": PersonView(person, privacy),
            "state": exports.as_of_labels(person),
            "reasons": reasons(person) if reasons else [],
            "award_start": getattr(person, "award_start", None),
        }
        for person in page.object_list
    ]
    context.update(
        {
            "privacy": privacy,
            "counts": counts,
            "total": total,
            "page": page,
            "tabs": [(key, label, query.params(list=key)) for key, label in lists.LISTS.items()],
            "params": query.params(),
            "may_export": request.user.has_perm("registry.export_persons"),
        }
    )
    return render(request, "benefits/eligibility_list.html", context)


@require_GET
@permission_required(["benefits.view_eligibility", "registry.export_persons"], raise_exception=True)
def eligibility_export(request):
    """The list the page shows (all its pages) as .xlsx; a long one as a background job.
    Full ID numbers only on request (reveal=1) and with the reveal permission; every export
    is logged. A filter that does not validate is refused with why, nothing written."""
    return export_response(request, exports.EligibilityExporter.for_request(request))

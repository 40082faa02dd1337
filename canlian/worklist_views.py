"""The work list's page: the counts of each kind the user has (each a link to that kind
alone), then the lines, overdue first, a page at a time. Thin: `canlian.worklist` reads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from canlian.declarations import work_kinds
from canlian.worklist import PAGE_SIZE, Worklist

NO_WORK = "您的角色没有待办事项"


@require_GET
@login_required
def worklist(request, kind: str | None = None):
    work = Worklist(request.user, timezone.localdate(), only=kind)
    if not work.permitted:
        raise PermissionDenied(NO_WORK)
    if kind is not None and kind not in work.by_key:
        if kind in {k.key for k in work_kinds()}:
            raise PermissionDenied("您没有办理此类事项的权限")
        raise Http404("没有这类待办事项")
    page = Paginator(work.lines(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "work": work,
        "today": work.today,
        "kind": work.by_key.get(kind),
        "counts": work.counts,
        "page": page,
    }
    return render(request, "canlian/worklist.html", context)

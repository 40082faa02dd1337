"""The duplicates pages (疑似重复): the pairs, a pair side by side, its merge or dismissal,
and the on-demand check with its progress. Thin: parse, call `registry.duplicates`, render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from canlian.errors import error_text
from canlian.jobs import dead_jobs_fail
from canlian.models import Job
from canlian.scoping import is_district_user
from registry.duplicates import duplicates_check_allowed, pair_dismiss, pair_for_user, persons_merge, record_counts
from registry.models import DuplicatePair
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.tasks import DUPLICATES_JOB, run_duplicates_find

PAGE_SIZE = 50
SEE = ["registry.view_duplicatepair", "registry.view_personal_data"]


def _may_check(user) -> bool:
    return user.has_perm("registry.check_duplicates") and is_district_user(user)


@require_GET
@permission_required(SEE, raise_exception=True)
def duplicate_list(request):
    """The pairs of the user's scope (both persons in it), open ones by default."""
    decision = request.GET.get("decision") or DuplicatePair.Decision.OPEN
    if decision not in DuplicatePair.Decision.values:
        decision = DuplicatePair.Decision.OPEN
    pairs = (
        DuplicatePair.objects.visible_to(request.user)
        .filter(decision=decision)
        .select_related("person_a__area__parent", "person_b__area__parent", "decided_by")
        .order_by("-found_at", "id")
    )
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    privacy = Privacy.for_user(request.user)
    page.object_list = [
        {"pair": pair, "persons": [PersonView(pair.person_a, privacy), PersonView(pair.person_b, privacy)]}
        for pair in page.object_list
    ]
    may_check = _may_check(request.user)
    context = {
        "page": page,
        "decision": decision,
        "decisions": DuplicatePair.Decision.choices,
        "may_check": may_check,
        "jobs": Job.objects.filter(created_by=request.user, kind=DUPLICATES_JOB)[:3] if may_check else [],
    }
    return render(request, "registry/duplicate_list.html", context)


def _render_compare(request, pair: DuplicatePair, *, error: str = "", status: int = 200):
    privacy = Privacy.for_user(request.user)
    persons = [pair.person_a, pair.person_b]
    context = {
        "pair": pair,
        "persons": [PersonView(p, privacy) for p in persons],
        "counts": record_counts(persons),
        "error": error,
    }
    return render(request, "registry/duplicate_compare.html", context, status=status)


@require_GET
@permission_required(SEE, raise_exception=True)
def duplicate_compare(request, pk: int):
    return _render_compare(request, pair_for_user(request.user, pk))


@require_POST
@permission_required([*SEE, "registry.merge_persons"], raise_exception=True)
def duplicate_merge(request, pk: int):
    pair = pair_for_user(request.user, pk)
    kept = {str(pair.person_a_id): pair.person_a, str(pair.person_b_id): pair.person_b}.get(request.POST.get("kept"))
    if kept is None:
        return _render_compare(request, pair, error="请选择保留哪一位人员", status=400)
    try:
        moved = persons_merge(user=request.user, pair=pair, kept=kept)
    except (ValidationError, PermissionDenied) as exc:
        return _render_compare(request, pair, error=error_text(exc), status=400)
    summary = "、".join(f"{label} {count} 条" for label, count in moved.items()) or "无其他记录"
    messages.success(request, f"已合并到 {kept.name}（编号 {kept.pk}），转移：{summary}")
    return redirect("registry:person_detail", pk=kept.pk)


@require_POST
@permission_required([*SEE, "registry.change_duplicatepair"], raise_exception=True)
def duplicate_dismiss(request, pk: int):
    pair = pair_for_user(request.user, pk)
    try:
        pair_dismiss(user=request.user, pair=pair)
    except (ValidationError, PermissionDenied) as exc:
        return _render_compare(request, pair, error=error_text(exc), status=400)
    messages.success(request, "已标记为不是重复，以后的检查不再列出这一对")
    return redirect("registry:duplicate_list")


@require_POST
@permission_required("registry.check_duplicates", raise_exception=True)
def duplicate_check(request):
    """Queue the check over the whole registry and show its progress."""
    duplicates_check_allowed(request.user)
    job = Job.objects.create(kind=DUPLICATES_JOB, title="疑似重复检查", created_by=request.user)
    run_duplicates_find.enqueue(job.pk)
    return redirect("registry:duplicate_job", pk=job.pk)


@require_GET
@permission_required("registry.check_duplicates", raise_exception=True)
def duplicate_job(request, pk: int):
    """The progress of a check; only its own user sees it (others: 404)."""
    dead_jobs_fail(Job.objects.filter(pk=pk))
    job = get_object_or_404(Job, pk=pk, kind=DUPLICATES_JOB, created_by=request.user)
    template = "registry/_duplicate_job_panel.html" if request.htmx else "registry/duplicate_job.html"
    return render(request, template, {"job": job})
